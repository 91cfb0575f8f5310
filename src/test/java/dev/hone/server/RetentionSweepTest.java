package dev.hone.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.data.DataDir;
import dev.hone.data.RunDir;
import dev.hone.run.RunStatus;
import dev.hone.store.Store;
import dev.hone.store.Stores;
import dev.hone.testing.EndedRuns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hone serve} deletes what has expired at its start ({@code retention}'s defaults: workspaces 7 days, logs
 * 90 days) and says what it freed on {@code /metrics}.
 */
class RetentionSweepTest {

    @TempDir
    Path data;

    @Test
    void atStartTheServerDeletesExpiredWorkspacesAndLogsAndCountsTheBytesOnMetrics() throws IOException {
        Instant now = Instant.now();
        long old;
        long recent;
        try (Store store = Stores.open(new DataDir(data).store().toString())) {
            old = EndedRuns.run(store, new DataDir(data), "digits", RunStatus.SUCCEEDED,
                    now.minus(Duration.ofDays(100)), null, 0.6, 0.7);
            recent = EndedRuns.run(store, new DataDir(data), "digits", RunStatus.SUCCEEDED,
                    now.minus(Duration.ofDays(1)), null, 0.5);
        }
        RunDir oldDir = new DataDir(data).run(old);

        try (Serve serve = new Serve(data, List.of(), QueuePolicy.of(1))) {
            Serve.await(() -> !Files.exists(oldDir.workspace()), 30, "the expired workspace to go");
            Serve.await(() -> serve.get("/metrics").body().contains("hone_retention_freed_items_total{kind=\"logs\"} 1.0"),
                    30, "the sweep's counts; metrics:\n" + serve.get("/metrics").body());

            assertThat(serve.get("/metrics").body()).contains(
                    "hone_retention_freed_bytes_total{kind=\"workspaces\"} 2000.0",
                    "hone_retention_freed_items_total{kind=\"workspaces\"} 2.0",
                    "hone_retention_freed_bytes_total{kind=\"logs\"} 400.0",
                    "hone_retention_freed_bytes_total{kind=\"runs\"} 0.0",
                    "hone_retention_failures_total 0.0");
            assertThat(oldDir.trial(1).root()).doesNotExist(); // the worse trial
            assertThat(oldDir.trial(2).output()).exists(); // the project's best trial
            assertThat(new DataDir(data).run(recent).workspace()).exists();
            assertThat(serve.store.run(old)).isPresent(); // runs are kept forever
        }
    }
}
