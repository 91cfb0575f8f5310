package dev.hone.store;

import static dev.hone.store.StoreTest.T0;
import static dev.hone.store.StoreTest.newRun;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.metrics.MetricPoint;
import dev.hone.run.DeliveryStatus;
import dev.hone.run.Notifiable;
import dev.hone.run.RunEvent;
import dev.hone.run.RunStatus;
import dev.hone.tune.Trial;
import dev.hone.tune.TrialState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** History on disk: it survives reopening, and concurrent writers (threads or processes) lose nothing. */
class StoreDurabilityTest {

    @TempDir
    Path dir;

    String file() {
        return dir.resolve("hone.db").toString();
    }

    static Trial succeeded(int number, double value) {
        return Trial.succeeded(number, Map.of("C", (double) number, "layers", (long) number % 4), value,
                List.of(new MetricPoint(1, value / 2), new MetricPoint(2, value)), number);
    }

    @Test
    void historySurvivesCloseAndReopen() {
        long run;
        List<TrialRow> trials;
        try (Store store = Stores.open(file())) {
            run = store.createRun(newRun("digits", T0));
            store.saveTrial(run, succeeded(1, 0.9), T0, "/logs/1.log");
            store.addEvent(run, new RunEvent.Resumed(1), T0);
            store.addNotification(run, new NotificationRow(Notifiable.TARGET_REACHED.type(), "console",
                    DeliveryStatus.SENT, null, T0));
            store.finishRun(run, RunStatus.TARGET_REACHED, 1, T0);
            trials = store.trials(run);
        }

        try (Store reopened = Stores.open(file())) {
            assertThat(reopened.run(run).orElseThrow().status()).isEqualTo(RunStatus.TARGET_REACHED);
            assertThat(reopened.trials(run)).isEqualTo(trials);
            assertThat(reopened.events(run)).hasSize(1);
            assertThat(reopened.notifications(run)).hasSize(1);
            assertThat(reopened.createRun(newRun("digits", T0))).isEqualTo(run + 1);
        }
    }

    @Test
    void missingParentDirectoriesAreCreated() {
        Path nested = dir.resolve("a/b/c/hone.db");
        try (Store store = Stores.open(nested.toString())) {
            store.createRun(newRun("digits", T0));
        }
        assertThat(nested).exists();
    }

    @Test
    void reopeningMigratesOnlyOnce() throws SQLException {
        for (int i = 0; i < 3; i++) {
            try (Store store = Stores.open(file())) {
                store.createRun(newRun("digits", T0));
            }
        }

        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL")) {
            List<String> applied = new ArrayList<>();
            while (rows.next()) {
                applied.add(rows.getString(1) + ":" + rows.getBoolean(2));
            }
            assertThat(applied).as("each migration applied once, successfully").doesNotHaveDuplicates()
                    .contains("1:true", "2:true").allMatch(version -> version.endsWith(":true"));
        }
        try (Store store = Stores.open(file())) {
            assertThat(store.runs(null, 10, 0)).hasSize(3);
        }
    }

    @Test
    void theDatabaseIsInWriteAheadLogMode() throws SQLException {
        Stores.open(file()).close();

        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("PRAGMA journal_mode")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("wal");
        }
    }

    @Test
    void concurrentTrialsFromFourThreadsAreAllSaved() throws Exception {
        try (Store store = Stores.open(file())) {
            long run = store.createRun(newRun("digits", T0));
            runTogether(4, thread -> () -> {
                for (int number = thread + 1; number <= 100; number += 4) {
                    store.saveTrial(run, Trial.running(number, Map.of("C", (double) number)), T0, null);
                    store.saveTrial(run, succeeded(number, number / 100.0), T0, "/logs/" + number + ".log");
                    store.addMetricPoints(run, number, List.of(new MetricPoint(3, 1.0)));
                }
                return null;
            });

            List<TrialRow> trials = store.trials(run);
            assertThat(trials).extracting(row -> row.trial().number())
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, 100).boxed().toList());
            assertThat(trials).allSatisfy(row -> {
                assertThat(row.trial().state()).isEqualTo(TrialState.SUCCEEDED);
                assertThat(row.trial().intermediate()).hasSize(3);
            });
            assertThat(store.run(run).orElseThrow().trialCount()).isEqualTo(100);
        }
    }

    /** Two stores on one file stand for two {@code hone run} processes: each has its own connection. */
    @Test
    void twoStoresOnOneFileWritingAtOnceLoseNothing() throws Exception {
        try (Store first = Stores.open(file()); Store second = Stores.open(file())) {
            List<Store> stores = List.of(first, second);
            long shared = first.createRun(newRun("digits", T0));
            List<Long> own = runTogether(2, i -> () -> {
                Store store = stores.get(i);
                long run = store.createRun(newRun("process-" + i, T0));
                for (int number = 1; number <= 100; number++) {
                    store.saveTrial(run, succeeded(number, 0.5), T0, null);
                    store.saveTrial(shared, succeeded(2 * number - i, 0.5), T0, null);
                    store.addEvent(run, new RunEvent.Resumed(number), T0);
                }
                store.finishRun(run, RunStatus.TARGET_MISSED, 1, T0);
                return run;
            });

            for (Store store : stores) {
                assertThat(store.trials(shared)).hasSize(200);
                for (long run : own) {
                    assertThat(store.trials(run)).hasSize(100);
                    assertThat(store.events(run)).hasSize(100);
                    assertThat(store.run(run).orElseThrow().status()).isEqualTo(RunStatus.TARGET_MISSED);
                }
                assertThat(store.runs(null, 10, 0)).hasSize(3);
            }
        }
    }

    @Test
    void twoStoresOpeningANewFileAtOnceBothSucceed() throws Exception {
        for (int attempt = 0; attempt < 5; attempt++) {
            Path file = dir.resolve("fresh-" + attempt + "/hone.db");
            List<Store> stores = runTogether(3, i -> () -> Stores.open(file.toString()));
            try {
                for (Store store : stores) {
                    store.createRun(newRun("digits", T0));
                }
                assertThat(stores.getFirst().runs(null, 10, 0)).hasSize(3);
            } finally {
                stores.forEach(Store::close);
            }
            assertThat(Files.exists(file)).isTrue();
        }
    }

    /** Starts {@code n} tasks at the same moment and returns their results in order, rethrowing any failure. */
    static <T> List<T> runTogether(int n, IntFunction<Callable<T>> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Callable<T> body = task.apply(i);
                futures.add(pool.submit(() -> {
                    start.await();
                    return body.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
