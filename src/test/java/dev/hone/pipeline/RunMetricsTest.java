package dev.hone.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.spec.Spec;
import dev.hone.store.NewRun;
import dev.hone.store.RunRow;
import dev.hone.store.Store;
import dev.hone.store.Stores;
import dev.hone.tune.Direction;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metric a stored run is judged by: recorded with the run, or worked out once for a run of an older Hone. */
class RunMetricsTest {

    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    static final String SNAPSHOT = """
            metric:
              name: ${METRIC}
              direction: minimize
              target: 0.2
            """;
    static final Spec.Metric LOSS = new Spec.Metric("val_loss", Direction.MINIMIZE, 0.2);

    @TempDir
    Path tmp;

    @Test
    void aRunAnOlderHoneRecordedGetsItsMetricFromItsSnapshotOnceAndKeepsIt() throws SQLException {
        Path file = tmp.resolve("hone.db");
        Flyway.configure().dataSource("jdbc:sqlite:" + file, null, null).locations("classpath:db/migration/sqlite")
                .target("3").load().migrate();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("INSERT INTO projects (name, created_at) VALUES ('digits', 0)");
            s.execute("INSERT INTO runs (project_id, status, spec_yaml, created_at) VALUES (1, 'target_reached', '"
                    + SNAPSHOT + "', 0)");
        }

        try (Store store = Stores.open(file.toString())) {
            RunRow old = store.run(1).orElseThrow();
            assertThat(old.metric()).isNull();

            assertThat(RunMetrics.of(old, store, Map.of("METRIC", "val_loss"))).contains(LOSS);
            assertThat(store.run(1).orElseThrow().metric()).isEqualTo(LOSS);
            assertThat(RunMetrics.of(store.run(1).orElseThrow(), store, Map.of()))
                    .as("recorded: the snapshot is not read again with the environment of today").contains(LOSS);
        }
    }

    @Test
    void aRecordedMetricIsTheOneTheRunWasJudgedByWhateverItsSnapshotSays() {
        Spec.Metric target09 = new Spec.Metric("accuracy", Direction.MAXIMIZE, 0.9);
        try (Store store = Stores.open(tmp.resolve("hone.db").toString())) {
            long id = store.createRun(new NewRun("digits", "/work/digits", null, null, null, null,
                    "metric: {name: accuracy, target: 0.5}\n", target09, T0));

            assertThat(RunMetrics.of(store.run(id).orElseThrow(), store, Map.of())).contains(target09);
        }
    }

    @Test
    void aRunWithoutSnapshotRanWithTheDefaultsAndOneThatNoLongerLoadsHasNone() {
        try (Store store = Stores.open(tmp.resolve("hone.db").toString())) {
            long defaults = store.createRun(new NewRun("digits", "/work/digits", null, null, null, null, null, T0));
            long broken = store.createRun(new NewRun("digits", "/work/digits", null, null, null, null, SNAPSHOT,
                    T0));

            assertThat(RunMetrics.of(store.run(defaults).orElseThrow(), store, Map.of()))
                    .contains(Spec.defaults("digits").metric());
            assertThat(RunMetrics.of(store.run(broken).orElseThrow(), store, Map.of())).isEmpty();
            assertThat(store.run(broken).orElseThrow().metric()).isNull();
            assertThat(RunMetrics.of(store.run(broken).orElseThrow(), store, Map.of("METRIC", "val_loss")))
                    .as("once its environment variable is back").contains(LOSS);
        }
    }
}
