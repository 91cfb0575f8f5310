package dev.hone.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.hone.metrics.MetricPoint;
import dev.hone.run.DeliveryStatus;
import dev.hone.run.Notifiable;
import dev.hone.run.RunEvent;
import dev.hone.run.RunStatus;
import dev.hone.run.Usage;
import dev.hone.spec.Spec;
import dev.hone.tune.Direction;
import dev.hone.tune.Trial;
import dev.hone.tune.TrialState;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {

    static final Instant T0 = Instant.ofEpochMilli(1_760_000_000_123L);
    static final Spec.Metric LOSS = new Spec.Metric("val_loss", Direction.MINIMIZE, 0.25);

    @TempDir
    Path dir;
    Store store;

    @BeforeEach
    void open() {
        store = Stores.open(dir.resolve("hone.db").toString());
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Nested
    class Tokens extends TokensContract {
        @Override
        Store store() {
            return store;
        }
    }

    static NewRun newRun(String project, Instant at) {
        return new NewRun(project, "/work/" + project, "a1b2c3", "main", "Ana <ana@example.com>", "more layers",
                "name: " + project + "\n", LOSS, at);
    }

    static Trial trial(int number, TrialState state, Double value) {
        return new Trial(number, Map.of("C", 1.5), state, value, List.of(), 0, 1234, null, "");
    }

    @Nested
    class Runs {
        @Test
        void aNewRunIsRunningWithEverythingItWasGiven() {
            long id = store.createRun(newRun("digits", T0));

            assertThat(id).isEqualTo(1);
            assertThat(store.run(id)).contains(new RunRow(1, "digits", "/work/digits", "a1b2c3", "main",
                    "Ana <ana@example.com>", "more layers", RunStatus.RUNNING, null, null, "name: digits\n", LOSS,
                    null, null, 0, T0, null, null, null));
        }

        @Test
        void aMetricWithoutTargetIsKeptWithoutOne() {
            Spec.Metric accuracy = new Spec.Metric("accuracy", Direction.MAXIMIZE, null);
            long id = store.createRun(new NewRun("iris", "/work/iris", null, null, null, null, null, accuracy, T0));

            assertThat(store.run(id).orElseThrow().metric()).isEqualTo(accuracy);
        }

        @Test
        void aRunRecordedWithoutAMetricGetsOneOnceAndKeepsIt() {
            long id = store.createRun(new NewRun("scratch", "/tmp/scratch", null, null, null, null,
                    "metric: val_loss\n", T0));
            assertThat(store.run(id).orElseThrow().metric()).isNull();

            store.recordMetric(id, LOSS);
            store.recordMetric(id, new Spec.Metric("accuracy", Direction.MAXIMIZE, 0.9));

            assertThat(store.run(id).orElseThrow().metric()).isEqualTo(LOSS);
        }

        @Test
        void nullsOutsideGitStayNull() {
            long id = store.createRun(new NewRun("scratch", "/tmp/scratch", null, null, null, null, null, T0));

            RunRow run = store.run(id).orElseThrow();
            assertThat(run.commit()).isNull();
            assertThat(run.branch()).isNull();
            assertThat(run.author()).isNull();
            assertThat(run.message()).isNull();
            assertThat(run.specYaml()).isNull();
        }

        @Test
        void infoAndFinishAreRecordedWithTheBestTrialsValue() {
            long id = store.createRun(newRun("digits", T0));
            store.updateRunInfo(id, "sklearn", "docker");
            store.saveTrial(id, trial(1, TrialState.SUCCEEDED, 0.82), T0, "/logs/1.log");
            store.saveTrial(id, trial(2, TrialState.SUCCEEDED, 0.96), T0, "/logs/2.log");
            store.saveTrial(id, trial(3, TrialState.FAILED, null), T0, "/logs/3.log");
            store.finishRun(id, RunStatus.TARGET_REACHED, 2, T0.plusSeconds(60));

            RunRow run = store.run(id).orElseThrow();
            assertThat(run.framework()).isEqualTo("sklearn");
            assertThat(run.executor()).isEqualTo("docker");
            assertThat(run.status()).isEqualTo(RunStatus.TARGET_REACHED);
            assertThat(run.bestTrial()).isEqualTo(2);
            assertThat(run.bestValue()).isEqualTo(0.96);
            assertThat(run.trialCount()).isEqualTo(3);
            assertThat(run.finishedAt()).isEqualTo(T0.plusSeconds(60));
        }

        @Test
        void theBestSoFarOfALiveRunIsReadWithItsValue() {
            long id = store.createRun(newRun("digits", T0));
            store.saveTrial(id, trial(1, TrialState.SUCCEEDED, 0.82), T0, "/logs/1.log");
            store.recordBest(id, 1);

            RunRow run = store.run(id).orElseThrow();
            assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
            assertThat(run.bestTrial()).isEqualTo(1);
            assertThat(run.bestValue()).isEqualTo(0.82);
            assertThat(store.runs(null, 10, 0).getFirst().bestValue()).isEqualTo(0.82);
        }

        @Test
        void theFirstCancellationOfARunIsKeptWithWhoAndWhen() {
            long id = store.createRun(newRun("digits", T0));
            assertThat(store.run(id).orElseThrow().cancelledBy()).isNull();

            store.recordCancellation(id, "ci-bot", T0.plusSeconds(5));
            store.recordCancellation(id, "api_token", T0.plusSeconds(9));

            RunRow run = store.run(id).orElseThrow();
            assertThat(run.cancelledBy()).isEqualTo("ci-bot");
            assertThat(run.cancelledAt()).isEqualTo(T0.plusSeconds(5));
        }

        @Test
        void aRunWithoutBestHasNoBestValue() {
            long id = store.createRun(newRun("digits", T0));
            store.saveTrial(id, trial(1, TrialState.FAILED, null), T0, null);
            store.finishRun(id, RunStatus.FAILED, null, T0);

            RunRow run = store.run(id).orElseThrow();
            assertThat(run.bestTrial()).isNull();
            assertThat(run.bestValue()).isNull();
            assertThat(run.trialCount()).isEqualTo(1);
        }

        @Test
        void anUnknownRunIsEmpty() {
            assertThat(store.run(42)).isEmpty();
        }

        @Test
        void finishingAnUnknownRunSaysWhichRun() {
            assertThatThrownBy(() -> store.finishRun(42, RunStatus.FAILED, null, T0))
                    .isInstanceOf(StoreException.class)
                    .hasMessage("cannot finish run 42 in store " + dir.resolve("hone.db") + ": there is no run 42");
        }

        @Test
        void areListedNewestFirstAndPaged() {
            for (int i = 0; i < 5; i++) {
                store.createRun(newRun(i % 2 == 0 ? "digits" : "iris", T0.plusSeconds(i)));
            }

            assertThat(store.runs(null, 10, 0)).extracting(RunRow::id).containsExactly(5L, 4L, 3L, 2L, 1L);
            assertThat(store.runs(null, 2, 0)).extracting(RunRow::id).containsExactly(5L, 4L);
            assertThat(store.runs(null, 2, 2)).extracting(RunRow::id).containsExactly(3L, 2L);
            assertThat(store.runs(null, 2, 4)).extracting(RunRow::id).containsExactly(1L);
            assertThat(store.runs(null, 2, 6)).isEmpty();
        }

        @Test
        void areFilteredByProject() {
            for (int i = 0; i < 5; i++) {
                store.createRun(newRun(i % 2 == 0 ? "digits" : "iris", T0.plusSeconds(i)));
            }

            assertThat(store.runs("digits", 10, 0)).extracting(RunRow::id).containsExactly(5L, 3L, 1L);
            assertThat(store.runs("iris", 1, 1)).extracting(RunRow::id, RunRow::project)
                    .containsExactly(tuple(2L, "iris"));
            assertThat(store.runs("nope", 10, 0)).isEmpty();
            assertThat(store.projects()).containsExactly("digits", "iris");
        }
    }

    @Nested
    class Trials {
        long run;

        @BeforeEach
        void createRun() {
            run = store.createRun(newRun("digits", T0));
        }

        @Test
        void roundTripEveryField() {
            Trial failed = new Trial(1, Map.of("kernel", "rbf"), TrialState.FAILED, null, List.of(), 1, 4321,
                    "ZeroDivisionError: division by zero", "--- a/main.py\n+++ b/main.py\n@@ -1 +1 @@\n-x\n+y\n");
            Trial running = Trial.running(2, Map.of());
            Trial succeeded = Trial.succeeded(3, Map.of("C", 3.2), 0.961,
                    List.of(new MetricPoint(1, 0.5), new MetricPoint(2, 0.9)), 1000);
            store.saveTrial(run, failed, T0, "/data/runs/1/trial-1.log");
            store.saveTrial(run, running, T0.plusMillis(1), null);
            store.saveTrial(run, succeeded, T0.plusMillis(2), "/data/runs/1/trial-3.log");

            assertThat(store.trials(run)).containsExactly(
                    new TrialRow(run, failed, T0, "/data/runs/1/trial-1.log"),
                    new TrialRow(run, running, T0.plusMillis(1), null),
                    new TrialRow(run, succeeded, T0.plusMillis(2), "/data/runs/1/trial-3.log"));
        }

        @Test
        void everyStateRoundTrips() {
            TrialState[] states = TrialState.values();
            for (int i = 0; i < states.length; i++) {
                store.saveTrial(run, trial(i + 1, states[i], null), T0, null);
            }

            assertThat(store.trials(run)).extracting(row -> row.trial().state()).containsExactly(states);
        }

        @Test
        void parametersKeepTheirOrderAndTypes() {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("zeta", 3L);
            params.put("alpha", 3.0);
            params.put("lr", 1.0e-4);
            params.put("kernel", "rbf");
            params.put("shuffle", true);
            params.put("big", Long.MAX_VALUE);
            params.put("negative", -7L);
            store.saveTrial(run, Trial.running(1, params),
                    T0, null);

            Map<String, Object> read = store.trials(run).getFirst().trial().params();
            assertThat(read).containsExactlyEntriesOf(params);
            assertThat(read.values()).extracting(Object::getClass).containsExactly(Long.class, Double.class,
                    Double.class, String.class, Boolean.class, Long.class, Long.class);
        }

        @Test
        void savingAgainReplacesTheTrial() {
            store.saveTrial(run, Trial.running(1, Map.of("C", 1.0)), T0, "/logs/1.log");
            Trial done = Trial.succeeded(1, Map.of("C", 1.0), 0.9, List.of(), 5000);
            store.saveTrial(run, done, T0, "/logs/1.log");

            assertThat(store.trials(run)).containsExactly(new TrialRow(run, done, T0, "/logs/1.log"));
            assertThat(store.run(run).orElseThrow().trialCount()).isEqualTo(1);
        }

        @Test
        void addedPointsComeBackInStepOrderWithTheirTrial() {
            store.saveTrial(run, Trial.running(1, Map.of()), T0, null);
            store.saveTrial(run, Trial.running(2, Map.of()), T0, null);
            store.addMetricPoints(run, 1, List.of(new MetricPoint(3, 0.7), new MetricPoint(1, 0.5)));
            store.addMetricPoints(run, 1, List.of(new MetricPoint(2, 0.6)));
            store.addMetricPoints(run, 2, List.of(new MetricPoint(1, 0.1)));

            List<TrialRow> trials = store.trials(run);
            assertThat(trials.get(0).trial().intermediate()).containsExactly(
                    new MetricPoint(1, 0.5), new MetricPoint(2, 0.6), new MetricPoint(3, 0.7));
            assertThat(trials.get(1).trial().intermediate()).containsExactly(new MetricPoint(1, 0.1));
        }

        @Test
        void whatATrialUsedRoundTripsAndIsReplacedWithIt() {
            Usage gpu = new Usage(Duration.ofMillis(12_400), Duration.ofMillis(11_900), 432_013_312L, 3_435_973_837L,
                    87.5, "cgroup + nvidia-smi");
            Usage cpuOnly = new Usage(Duration.ofMillis(900), null, null, null, null, "wall clock");
            store.saveTrial(run, Trial.running(1, Map.of()), T0, null);
            store.saveTrial(run, Trial.succeeded(1, Map.of(), 0.9, List.of(), 12_400).withResources(gpu), T0, null);
            store.saveTrial(run, trial(2, TrialState.FAILED, null).withResources(cpuOnly), T0, null);
            store.saveTrial(run, trial(3, TrialState.KILLED, null), T0, null);

            assertThat(store.trials(run)).extracting(row -> row.trial().resources()).containsExactly(gpu, cpuOnly,
                    null);
        }

        @Test
        void everyMetricOfATrialAndTheOthersIntermediateValuesRoundTrip() {
            Trial done = new Trial(1, Map.of(), TrialState.SUCCEEDED, 0.93, List.of(new MetricPoint(1, 0.9)), 0, 10,
                    null, "", Map.of("accuracy", 0.93, "f1", 0.91, "latency_ms", 42.0));
            store.saveTrial(run, done, T0, null);
            store.addMetricPoints(run, 1, "loss", List.of(new MetricPoint(2, 0.3), new MetricPoint(1, 0.5)));
            store.addMetricPoints(run, 1, "f1", List.of(new MetricPoint(1, 0.8)));
            store.addMetricPoints(run, 1, "loss", List.of(new MetricPoint(2, 0.25)));

            TrialRow read = store.trials(run).getFirst();
            assertThat(read.trial().metrics()).containsExactlyInAnyOrderEntriesOf(done.metrics());
            assertThat(read.trial().intermediate()).containsExactly(new MetricPoint(1, 0.9));
            assertThat(read.otherIntermediate()).containsOnlyKeys("f1", "loss");
            assertThat(read.otherIntermediate().get("loss")).containsExactly(new MetricPoint(1, 0.5),
                    new MetricPoint(2, 0.25));
            assertThat(store.trials(run, 10, 0).getFirst().otherIntermediate().get("f1"))
                    .containsExactly(new MetricPoint(1, 0.8));
        }

        @Test
        void aStepReportedTwiceKeepsTheLastValue() {
            store.saveTrial(run, Trial.running(1, Map.of()), T0, null);
            store.addMetricPoints(run, 1, List.of(new MetricPoint(1, 0.5)));
            store.addMetricPoints(run, 1, List.of(new MetricPoint(1, 0.8)));

            assertThat(store.trials(run).getFirst().trial().intermediate()).containsExactly(new MetricPoint(1, 0.8));
        }

        @Test
        void savingAFinishedTrialAndItsPointsStoresThePointsOnce() {
            List<MetricPoint> points = List.of(new MetricPoint(1, 0.5), new MetricPoint(2, 0.9));
            Trial done = Trial.succeeded(1, Map.of(), 0.9, points, 10);
            store.saveTrial(run, done, T0, null);
            store.addMetricPoints(run, 1, points);

            assertThat(store.trials(run).getFirst().trial().intermediate()).isEqualTo(points);
        }

        @Test
        void savingWithoutPointsKeepsThoseAddedWhileRunning() {
            store.saveTrial(run, Trial.running(1, Map.of()), T0, null);
            store.addMetricPoints(run, 1, List.of(new MetricPoint(1, 0.5)));
            store.saveTrial(run, trial(1, TrialState.PRUNED, null), T0, null);

            assertThat(store.trials(run).getFirst().trial().intermediate()).containsExactly(new MetricPoint(1, 0.5));
        }

        @Test
        void aNonFiniteValueIsStoredAsNoValue() {
            store.saveTrial(run, new Trial(1, Map.of(), TrialState.FAILED, Double.NaN,
                    List.of(new MetricPoint(1, Double.POSITIVE_INFINITY)), 0, 10, "metric is NaN", ""), T0, null);

            Trial read = store.trials(run).getFirst().trial();
            assertThat(read.value()).isNull();
            assertThat(read.intermediate()).containsExactly(new MetricPoint(1, Double.NaN));
        }

        @Test
        void aTrialOfAnUnknownRunIsRefused() {
            assertThatThrownBy(() -> store.saveTrial(42, Trial.running(1, Map.of()), T0, null))
                    .isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("cannot save trial 1 of run 42 in store " + dir.resolve("hone.db") + ": ")
                    .hasMessageContaining("FOREIGN KEY constraint failed");
        }

        @Test
        void ofAnUnknownRunAreEmpty() {
            assertThat(store.trials(42)).isEmpty();
        }
    }

    @Nested
    class EventsAndNotifications {
        @Test
        void roundTripInTheOrderTheyHappened() {
            long run = store.createRun(newRun("digits", T0));
            String reached = Notifiable.TARGET_REACHED.type();
            store.addEvent(run, new RunEvent.FetchFailed("connection refused", "5s"), T0);
            store.addEvent(run, new RunEvent.Resumed(2), T0.plusSeconds(1));
            store.addEvent(run, new RunEvent.StoppedOnError("out of memory"), T0);
            List<NotificationRow> notifications = List.of(
                    new NotificationRow(reached, "email", DeliveryStatus.SENT, "to ml-team@example.com", T0),
                    new NotificationRow(reached, "slack", DeliveryStatus.FAILED, "HTTP 500", T0.plusMillis(5)),
                    new NotificationRow(reached, "console", DeliveryStatus.SENT, null, T0));
            notifications.forEach(notification -> store.addNotification(run, notification));

            assertThat(store.events(run)).containsExactly(
                    new EventRow(RunEvent.FetchFailed.TYPE, "connection refused; the run waits in the queue and is"
                            + " tried again in 5s", T0),
                    new EventRow(RunEvent.Resumed.TYPE, "hone serve started again: the run continues from its 2"
                            + " recorded trials", T0.plusSeconds(1)),
                    new EventRow(RunEvent.StoppedOnError.TYPE, "the run stopped on an error: out of memory", T0));
            assertThat(store.notifications(run)).isEqualTo(notifications);
            assertThat(store.events(run + 1)).isEmpty();
            assertThat(store.notifications(run + 1)).isEmpty();
        }
    }

    @Nested
    class TheColumnsHoldTheWordsOfDesign {
        @Test
        void statusesAndEventTypesAreWrittenAsTheSummarysWords() throws Exception {
            long run = store.createRun(newRun("digits", T0));
            store.addEvent(run, new RunEvent.Interrupted(RunEvent.Interrupted.Cause.SERVE_STOPPED), T0);
            store.addNotification(run, new NotificationRow(Notifiable.TARGET_REACHED.type(), "console",
                    DeliveryStatus.SENT, "printed", T0));
            store.outbox().enqueue(new OutboxEntry(run, Notifiable.TARGET_REACHED.type(), "email", "email.1", "k1",
                    "{}", T0));
            store.finishRun(run, RunStatus.INVALID_CONFIG, null, T0);

            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("hone.db"));
                 Statement s = c.createStatement()) {
                assertThat(text(s, "SELECT status FROM runs")).isEqualTo("invalid_config");
                assertThat(text(s, "SELECT type FROM events")).isEqualTo("interrupted");
                assertThat(text(s, "SELECT status FROM notifications")).isEqualTo("sent");
                assertThat(text(s, "SELECT status FROM outbox")).isEqualTo("pending");
            }
        }

        @Test
        void aStatusWrittenByHandIsReadAsItsConstant() throws Exception {
            long run = store.createRun(newRun("digits", T0));
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("hone.db"));
                 Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE runs SET status = 'target_missed'");
            }

            assertThat(store.run(run).orElseThrow().status()).isEqualTo(RunStatus.TARGET_MISSED);
            assertThat(store.queue().countByStatus()).isEqualTo(Map.of(RunStatus.TARGET_MISSED, 1L));
        }

        private static String text(Statement statement, String query) throws Exception {
            try (ResultSet rs = statement.executeQuery(query)) {
                assertThat(rs.next()).as(query).isTrue();
                return rs.getString(1);
            }
        }
    }
}
