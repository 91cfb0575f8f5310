package dev.hone.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.hone.metrics.MetricPoint;
import dev.hone.run.DeliveryStatus;
import dev.hone.run.RunEvent;
import dev.hone.run.RunStatus;
import dev.hone.run.Usage;
import dev.hone.spec.Spec;
import dev.hone.tune.Direction;
import dev.hone.tune.Trial;
import dev.hone.tune.TrialState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes the upgrade fixture of this release: a SQLite store written by today's code through the {@link Store} API,
 * {@code store-v<N>.db} (N: the latest migration), and beside it {@code store-v<N>.json}, everything that store
 * reads back today. {@code UpgradeTest} opens every fixture with the current code and expects to read the same.
 * Run it once for each release whose migrations changed the schema, and commit both files (the command is in
 * {@code src/test/resources/upgrade/README.md}); it refuses to replace a fixture.
 */
public final class UpgradeFixtures {

    static final Path FOLDER = Path.of("src/test/resources/upgrade");
    private static final Instant T0 = Instant.parse("2026-12-05T09:00:00Z");

    private UpgradeFixtures() {
    }

    public static void main(String[] args) throws IOException, SQLException {
        Path folder = args.length > 0 ? Path.of(args[0]) : FOLDER;
        Path scratch = Files.createTempDirectory("hone-fixture");
        Path made = scratch.resolve("hone.db");
        String snapshot;
        try (Store store = Stores.open(made.toString())) {
            write(store);
            snapshot = snapshot(store);
        }
        int version = schemaVersion(made);
        Path db = folder.resolve("store-v" + version + ".db");
        if (Files.exists(db)) {
            throw new IllegalStateException(db + " exists: this release's fixture is made already");
        }
        Files.createDirectories(folder);
        try (Store store = Stores.open(made.toString())) {
            store.copyTo(db); // one file, without the WAL beside it
        }
        Files.writeString(folder.resolve("store-v" + version + ".json"), snapshot + "\n");
        System.out.println("wrote " + db + " and its .json");
    }

    /** A history with one of each thing a store keeps: runs in several states, trials of every kind, events. */
    static void write(Store store) {
        Spec.Metric accuracy = new Spec.Metric("accuracy", Direction.MAXIMIZE, 0.9);
        long reached = store.createRun(new NewRun("churn", "https://git.example.com/team/churn.git", "4f1c2a9",
                "main", "Ana <ana@example.com>", "deeper trees", "metric:\n  name: accuracy\n  target: 0.9\n",
                accuracy, T0));
        store.updateRunInfo(reached, "sklearn", "local");
        store.saveTrial(reached, new Trial(1, params(0.01, 4L, "rbf", true), TrialState.SUCCEEDED, 0.93,
                curve(0.81, 0.88, 0.93), 0, 4200, null, "--- a/train.py\n+++ b/train.py\n",
                Map.of("accuracy", 0.93, "loss", 0.21)).withResources(new Usage(Duration.ofMillis(4200),
                Duration.ofMillis(7900), 512L << 20, 2L << 30, 63.5, "cgroup + nvidia-smi")), T0.plusSeconds(5),
                "runs/1/trials/1/train.log");
        store.addMetricPoints(reached, 1, "loss", List.of(new MetricPoint(1, 0.5), new MetricPoint(2, 0.21)));
        store.recordBest(reached, 1);
        store.saveTrial(reached, new Trial(2, params(0.1, 2L, "linear", false), TrialState.FAILED, null, List.of(),
                1, 800, "ZeroDivisionError: division by zero", ""), T0.plusSeconds(6), "runs/1/trials/2/train.log");
        store.saveTrial(reached, Trial.running(3, params(0.05, 3L, "rbf", true)).pruned(curve(0.5, 0.52), 1500,
                "pruned at step 2: below the median"), T0.plusSeconds(7), "runs/1/trials/3/train.log");
        store.saveTrial(reached, Trial.running(4, params(0.02, 5L, "poly", false)).stopped("target reached by trial "
                + "1"), T0.plusSeconds(8), "runs/1/trials/4/train.log");
        store.addEvent(reached, new RunEvent.Resumed(2), T0.plusSeconds(9));
        store.addEvent(reached, new RunEvent.StoppedOnError("the disk is full"), T0.plusSeconds(10));
        store.addNotification(reached, new NotificationRow("target_reached", "slack", DeliveryStatus.SENT, null,
                T0.plusSeconds(11)));
        store.addNotification(reached, new NotificationRow("target_reached", "email", DeliveryStatus.FAILED,
                "connection refused", T0.plusSeconds(12)));
        store.finishRun(reached, RunStatus.TARGET_REACHED, 1, T0.plusSeconds(12));

        long cancelled = store.createRun(new NewRun("forecast", "/home/ana/forecast", null, null, null, null, null,
                new Spec.Metric("rmse", Direction.MINIMIZE, null), T0.plusSeconds(60)));
        store.saveTrial(cancelled, Trial.running(1, Map.of()).ended(TrialState.KILLED, "cancelled", 300),
                T0.plusSeconds(61), "runs/2/trials/1/train.log");
        store.recordCancellation(cancelled, "ci", T0.plusSeconds(62));
        store.addEvent(cancelled, new RunEvent.Cancelled("ci", true), T0.plusSeconds(62));
        store.finishRun(cancelled, RunStatus.CANCELLED, null, T0.plusSeconds(63));

        long invalid = store.createRun(new NewRun("forecast", "/home/ana/forecast", null, null, null, null,
                "metric: [", T0.plusSeconds(120)));
        store.addEvent(invalid, new RunEvent.InvalidConfig("hone.yaml:1:9: metric: a list ends with ]"),
                T0.plusSeconds(120));
        store.finishRun(invalid, RunStatus.INVALID_CONFIG, null, T0.plusSeconds(120));

        long queued = store.queue().enqueue(new NewRun("churn", "https://git.example.com/team/churn.git", "9e8d7c6",
                "main", null, null, null, T0.plusSeconds(180)));
        store.queue().resolveCommit(queued, "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d", "Bo <bo@example.com>",
                "more data");

        store.installation().addRepository(new RepositoryRow(0, "https://git.example.com/team/churn.git",
                List.of("main"), Duration.ofMinutes(1), "CHURN_HOOK_SECRET", "GIT_USER", "GIT_TOKEN",
                T0.minusSeconds(600)), T0.minusSeconds(600));
        store.installation().saveSeen("https://git.example.com/team/churn.git", Map.of("main", "4f1c2a9"), T0);
        store.installation().saveApiTokenHash("a".repeat(64), T0.minusSeconds(900));
        store.installation().addToken(new TokenRow("ci", TokenRow.Scope.WRITE, "b".repeat(64),
                T0.minusSeconds(800), null));
        store.installation().tokenUsed("ci", T0.plusSeconds(62));
    }

    private static Map<String, Object> params(double lr, long depth, String kernel, boolean shrinking) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("lr", lr);
        params.put("depth", depth);
        params.put("kernel", kernel);
        params.put("shrinking", shrinking);
        return params;
    }

    private static List<MetricPoint> curve(double... values) {
        List<MetricPoint> points = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            points.add(new MetricPoint(i + 1, values[i]));
        }
        return points;
    }

    /** Everything the store reads back, as JSON: what a later Hone must read the same from this store. */
    static String snapshot(Store store) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("projects", store.projects());
        List<Map<String, Object>> runs = new ArrayList<>();
        for (RunRow run : store.runs(null, 1000, 0).reversed()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("run", run);
            one.put("trials", store.trials(run.id()));
            one.put("events", store.events(run.id()));
            one.put("notifications", store.notifications(run.id()));
            runs.add(one);
        }
        all.put("runs", runs);
        all.put("queued", store.queue().queued().stream().map(RunRow::id).toList());
        all.put("repositories", store.installation().repositories());
        all.put("lastSeen", store.installation().lastSeen("https://git.example.com/team/churn.git").orElse(null));
        all.put("apiTokenHash", store.installation().apiTokenHash().orElse(null));
        all.put("tokens", store.installation().tokens());
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(all);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);

    /** The schema version Flyway recorded in the SQLite file {@code db}. */
    static int schemaVersion(Path db) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT MAX(CAST(version AS INTEGER)) FROM flyway_schema_history "
                     + "WHERE success = 1")) {
            r.next();
            return r.getInt(1);
        }
    }
}
