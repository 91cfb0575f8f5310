package dev.hone.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.metrics.MetricPoint;
import dev.hone.run.DeliveryStatus;
import dev.hone.run.Notifiable;
import dev.hone.run.RunEvent;
import dev.hone.run.RunStatus;
import dev.hone.run.Usage;
import dev.hone.spec.Spec;
import dev.hone.testing.Parts;
import dev.hone.testing.TestPostgres;
import dev.hone.tune.Direction;
import dev.hone.tune.Trial;
import dev.hone.tune.TrialState;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store on a real PostgreSQL server (the teams' store): each test migrates a throwaway database from scratch.
 * The server's URL comes from {@code HONE_TEST_POSTGRES} ({@code .ci/postgres.sh} starts one and prints it).
 */
class PostgresStoreTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    private TestPostgres postgres;
    private String admin;
    private String database;
    private Store store;

    @BeforeEach
    void freshDatabase() throws SQLException {
        postgres = TestPostgres.create();
        admin = postgres.admin();
        database = postgres.database();
        store = postgres.store();
    }

    @AfterEach
    void dropDatabase() throws SQLException, InterruptedException {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Nested
    class Tokens extends TokensContract {
        @Override
        Store store() {
            return store;
        }
    }

    @Test
    void aCopyIsRefusedSayingPgDumpMakesIt() {
        Path file = Path.of("/tmp/never-written.db");

        assertThatThrownBy(() -> store.copyTo(file)).isInstanceOf(StoreException.class)
                .hasMessageEndingWith(": it is PostgreSQL, which pg_dump copies (pg_dump -Fc -f FILE DATABASE)")
                .hasMessageNotContaining("password=hone");
        assertThat(file).doesNotExist();
    }

    /** The README's "Backup and restore" recipe for PostgreSQL, run as written, on a store with some history. */
    @Test
    void theReadmesPgDumpAndPgRestoreRecipeCopiesEveryRunTrialAndEvent(@TempDir Path scratch) throws Exception {
        Parts.require(new File("/usr/bin/pg_dump").canExecute() && new File("/usr/bin/pg_restore").canExecute(),
                "PostgreSQL's client programs pg_dump, pg_restore and createdb (Debian's postgresql-client)");
        UpgradeFixtures.write(store);
        String before = UpgradeFixtures.snapshot(store);
        Matcher url = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/[^?]*\\?user=([^&]+)&password=([^&]+)")
                .matcher(admin);
        assertThat(url.matches()).as(admin).isTrue();
        String host = url.group(1);
        String port = url.group(2);
        String user = url.group(3);
        String restored = database + "_restored";
        Path dump = scratch.resolve("hone.dump");
        try {
            pg(url.group(4), "pg_dump", "-Fc", "-f", dump.toString(),
                    "postgresql://" + user + "@" + host + ":" + port + "/" + database);
            pg(url.group(4), "createdb", "-h", host, "-p", port, "-U", user, restored);
            pg(url.group(4), "pg_restore", "--no-owner", "-h", host, "-p", port, "-U", user, "-d", restored,
                    dump.toString());

            try (Store copy = Stores.open(admin.replaceFirst("/[^/?]+\\?", "/" + restored + "?"))) {
                assertThat(UpgradeFixtures.snapshot(copy)).isEqualTo(before);
                long next = copy.createRun(new NewRun("churn", "/src/churn", null, null, null, null, null, T0));
                assertThat(copy.run(next)).isPresent(); // its id sequences came along: no clash with a copied id
            }
        } finally {
            try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + restored + " WITH (FORCE)");
            }
        }
    }

    private static void pg(String password, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", password);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    }

    @Test
    void keepsEveryMetricOfATrialTheBestSoFarAndWhoCancelled() {
        long run = store.createRun(new NewRun("digits", "/src/digits", null, null, null, null, null, T0));
        store.saveTrial(run, new Trial(1, Map.of(), TrialState.STOPPED, null, List.of(), null, 10,
                "target reached by trial 2", "", Map.of("loss", 0.4)), T0, null);
        store.saveTrial(run, new Trial(2, Map.of(), TrialState.SUCCEEDED, 0.93, List.of(), 0, 10, null, "",
                Map.of("accuracy", 0.93, "f1", 0.91)), T0, null);
        store.addMetricPoints(run, 2, "f1", List.of(new MetricPoint(1, 0.8), new MetricPoint(2, 0.91)));
        store.recordBest(run, 2);
        store.recordCancellation(run, "ci-bot", T0.plusSeconds(1));

        RunRow row = store.run(run).orElseThrow();
        assertThat(row.bestValue()).isEqualTo(0.93);
        assertThat(row.cancelledBy()).isEqualTo("ci-bot");
        assertThat(row.cancelledAt()).isEqualTo(T0.plusSeconds(1));
        List<TrialRow> trials = store.trials(run);
        assertThat(trials.get(0).trial().state()).isEqualTo(TrialState.STOPPED);
        assertThat(trials.get(0).trial().metrics()).containsExactly(Map.entry("loss", 0.4));
        assertThat(trials.get(1).trial().metrics()).containsOnly(Map.entry("accuracy", 0.93), Map.entry("f1", 0.91));
        assertThat(trials.get(1).otherIntermediate().get("f1")).containsExactly(new MetricPoint(1, 0.8),
                new MetricPoint(2, 0.91));
    }

    @Test
    void keepsWhatEachTrialUsed() {
        long run = store.createRun(new NewRun("digits", "/src/digits", null, null, null, null, null, T0));
        Usage gpu = new Usage(Duration.ofMillis(12_400), Duration.ofMillis(11_900), 432_013_312L, 3_435_973_837L,
                87.5, "cgroup + nvidia-smi");
        Usage wallOnly = Usage.wallOnly(Duration.ofMillis(900));
        store.saveTrial(run, Trial.running(1, Map.of()), T0, null);
        store.saveTrial(run, Trial.succeeded(1, Map.of(), 0.9, List.of(), 12_400).withResources(gpu), T0, null);
        store.saveTrial(run, new Trial(2, Map.of(), TrialState.FAILED, null, List.of(), 1, 900, "exit 1", "")
                .withResources(wallOnly), T0, null);
        store.saveTrial(run, Trial.running(3, Map.of()), T0, null);

        assertThat(store.trials(run)).extracting(row -> row.trial().resources()).containsExactly(gpu, wallOnly,
                null);
    }

    @Test
    void keepsRunsTrialsPointsEventsAndNotifications() {
        long run = store.createRun(new NewRun("digits", "/src/digits", "a1b2c3", "main", "Ada <ada@example.com>",
                "tune C", "metric: {target: 0.9}\n", T0));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("C", 3.25);
        params.put("layers", 3L);
        params.put("kernel", "rbf");
        params.put("shrink", true);
        Trial trial = Trial.succeeded(1, params, 0.93,
                List.of(new MetricPoint(1, 0.5), new MetricPoint(2, 0.93)), 1200);
        store.saveTrial(run, trial, T0, "/logs/1");
        store.addEvent(run, new RunEvent.Resumed(1), T0);
        store.addNotification(run, new NotificationRow(Notifiable.TARGET_REACHED.type(), "console",
                DeliveryStatus.SENT, "printed", T0));
        store.finishRun(run, RunStatus.TARGET_REACHED, 1, T0.plusSeconds(5));

        RunRow row = store.run(run).orElseThrow();
        assertThat(row.status()).isEqualTo(RunStatus.TARGET_REACHED);
        assertThat(row.bestValue()).isEqualTo(0.93);
        assertThat(row.trialCount()).isEqualTo(1);
        assertThat(row.author()).isEqualTo("Ada <ada@example.com>");
        Trial read = store.trials(run).get(0).trial();
        assertThat(read.params()).containsExactly(Map.entry("C", 3.25), Map.entry("layers", 3L),
                Map.entry("kernel", "rbf"), Map.entry("shrink", true));
        assertThat(read.intermediate()).containsExactly(new MetricPoint(1, 0.5), new MetricPoint(2, 0.93));
        assertThat(store.events(run)).containsExactly(new EventRow(RunEvent.Resumed.TYPE,
                "hone serve started again: the run continues from its 1 recorded trial", T0));
        assertThat(store.notifications(run)).extracting(NotificationRow::status).containsExactly(DeliveryStatus.SENT);
        assertThat(store.runs("digits", 10, 0)).extracting(RunRow::id).containsExactly(run);
    }

    @Test
    void aRunKeepsTheMetricItWasJudgedBy() {
        Spec.Metric loss = new Spec.Metric("val_loss", Direction.MINIMIZE, 0.25);
        Spec.Metric accuracy = new Spec.Metric("accuracy", Direction.MAXIMIZE, null);
        long direct = store.createRun(new NewRun("p", "/p", null, null, null, null, null, loss, T0));
        long queued = store.queue().enqueue(new NewRun("p", "https://git.example.com/p.git", "abc", "main", null,
                null, null, T0));
        long older = store.createRun(new NewRun("p", "/p", null, null, null, null, "metric: accuracy\n", T0));

        store.queue().assign(queued, "p", "metric: accuracy\n", accuracy);
        store.recordMetric(older, accuracy);
        store.recordMetric(direct, accuracy);

        assertThat(store.run(direct).orElseThrow().metric()).isEqualTo(loss);
        assertThat(store.run(queued).orElseThrow().metric()).isEqualTo(accuracy);
        assertThat(store.run(older).orElseThrow().metric()).isEqualTo(accuracy);
    }

    @Test
    void aTrialIsReplacedNotDuplicated() {
        long run = store.createRun(new NewRun("p", "/p", null, null, null, null, null, T0));
        store.saveTrial(run, Trial.running(1, Map.of()), T0, "/l");
        store.saveTrial(run, new Trial(1, Map.of(), TrialState.FAILED, null, List.of(), 1, 10, "ValueError: x", ""),
                T0, "/l");

        assertThat(store.trials(run)).singleElement()
                .satisfies(t -> assertThat(t.trial().state()).isEqualTo(TrialState.FAILED));
    }

    @Test
    void aQueuedRunThatLearnsItsProjectTakesTheRepositorysQueuedRunsAlongAndLeavesNoEmptyProject() {
        long started = store.queue().enqueue(new NewRun("clf", "https://git.example.com/clf.git", "abc", "main", null,
                null, null, T0));
        long waiting = store.queue().enqueue(new NewRun("clf", "https://git.example.com/clf.git", "def", "main", null,
                null, null, T0));
        store.queue().claim(started);

        store.queue().assign(started, "digits-sgd", "name: digits-sgd\n", null);

        assertThat(store.run(waiting).orElseThrow().project()).isEqualTo("digits-sgd");
        assertThat(store.projects()).containsExactly("digits-sgd");
    }

    @Test
    void theQueueClaimsARunOnce() {
        long queued = store.queue().enqueue(new NewRun("p", "https://git.example.com/p.git", "abc", "main", null,
                null, null, T0));

        assertThat(store.queue().queued()).extracting(RunRow::id).containsExactly(queued);
        assertThat(store.queue().claim(queued)).isTrue();
        assertThat(store.queue().claim(queued)).isFalse();
        assertThat(store.run(queued).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
    }

    @Test
    void theOutboxSendsEachNotificationOnce() {
        long run = store.createRun(new NewRun("p", "/p", null, null, null, null, null, T0));
        OutboxEntry entry = new OutboxEntry(run, Notifiable.TARGET_REACHED.type(), "slack", "slack.1", "run-1-slack",
                "{}", T0);

        assertThat(store.outbox().enqueue(entry)).isTrue();
        assertThat(store.outbox().enqueue(entry)).isFalse();
        OutboxRow row = store.outbox().find("run-1-slack").orElseThrow();
        Instant now = T0.plusSeconds(1);
        OutboxRow claimed = store.outbox().claim(row.id(), now, now.plus(2, ChronoUnit.MINUTES)).orElseThrow();
        assertThat(store.outbox().claim(row.id(), now, now.plus(2, ChronoUnit.MINUTES))).isEmpty();
        assertThat(store.outbox().sent(claimed, "200 OK", now)).isTrue();

        assertThat(store.outbox().find("run-1-slack").orElseThrow().status()).isEqualTo(DeliveryStatus.SENT);
        assertThat(store.notifications(run)).extracting(NotificationRow::channel).containsExactly("slack");
    }
}
