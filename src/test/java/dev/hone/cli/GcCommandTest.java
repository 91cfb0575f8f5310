package dev.hone.cli;

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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hone gc [--dry-run]}: one sweep of what has expired under retention, now, on the store hone serve uses. */
class GcCommandTest {

    @TempDir
    Path home;
    Cli cli;
    DataDir data;
    long expired;
    long running;
    long recent;

    /**
     * In the default data directory: a run that failed 100 days ago (workspace and logs expired under the default
     * retention), one running for a year, one that ended yesterday.
     */
    @BeforeEach
    void runs() throws IOException {
        cli = new Cli(home);
        data = new DataDir(cli.data());
        Instant now = Instant.now();
        try (Store store = Stores.open(data.store().toString())) {
            recent = EndedRuns.run(store, data, "digits", RunStatus.SUCCEEDED, now.minus(Duration.ofDays(1)), null,
                    0.97);
            expired = EndedRuns.run(store, data, "digits", RunStatus.FAILED, now.minus(Duration.ofDays(100)), null,
                    0.4, 0.5);
            running = EndedRuns.run(store, data, "digits", RunStatus.RUNNING, now.minus(Duration.ofDays(365)), null,
                    0.3);
        }
    }

    @Test
    void aDryRunPrintsExactlyWhatWouldGoAndDeletesNothing() {
        RunDir dir = data.run(expired);

        assertThat(cli.run("gc", "--dry-run")).as(cli.err()).isZero();

        assertThat(cli.out()).isEqualTo("""
                workspaces  run %1$d                 1000 B  %2$s/workspace
                workspaces  run %1$d                 1000 B  %2$s/workspace.orig
                logs        run %1$d trial 1          400 B  %2$s/trials/1
                logs        run %1$d trial 2          400 B  %2$s/trials/2
                hone gc: would free 2.7 KiB: workspaces 2 (2.0 KiB), logs 2 (800 B), runs 0 (0 B) — a dry run: \
                nothing was deleted
                """.formatted(expired, dir));
        assertThat(dir.workspace()).exists();
        assertThat(dir.pristine()).exists();
        assertThat(dir.trial(1).root()).exists();
        assertThat(dir.trial(2).root()).exists();
    }

    @Test
    void gcDeletesWhatHasExpiredOnlyAndSaysWhatItFreed() {
        RunDir dir = data.run(expired);

        assertThat(cli.run("gc", "--data", data.root().toString())).as(cli.err()).isZero();

        assertThat(cli.out()).endsWith(
                "hone gc: freed 2.7 KiB: workspaces 2 (2.0 KiB), logs 2 (800 B), runs 0 (0 B)\n");
        assertThat(dir.workspace()).doesNotExist();
        assertThat(dir.trial(1).root()).doesNotExist();
        assertThat(dir.trial(2).root()).doesNotExist(); // not the project's best: run 1's 0.97 is
        assertThat(data.run(recent).workspace()).exists();
        assertThat(data.run(running).workspace()).exists();
        assertThat(data.run(running).trial(1).log()).exists();
        assertThat(cli.run("gc", "--dry-run")).isZero();
        assertThat(cli.out()).isEqualTo("hone gc: nothing has expired (retention: workspaces 7d, logs 90d, runs "
                + "forever; keep best, served)\n");
    }

    @Test
    void gcFollowsTheRetentionOfTheConfigurationFile() throws IOException {
        Path config = Files.writeString(home.resolve("hone-server.yaml"), "data_dir: " + data.root() + "\n"
                + "retention: {workspaces: forever, logs: forever, runs: 30d, keep: [best]}\n");

        assertThat(cli.run("gc", "--config", config.toString())).as(cli.err()).isZero();

        assertThat(cli.out()).isEqualTo("""
                runs        run %d                2.7 KiB  %s (and its records in the store)
                hone gc: freed 2.7 KiB: workspaces 0 (0 B), logs 0 (0 B), runs 1 (2.7 KiB)
                """.formatted(expired, data.run(expired)));
        assertThat(data.run(expired).root()).doesNotExist();
        try (Store store = Stores.open(data.store().toString())) {
            assertThat(store.run(expired)).isEmpty();
            assertThat(store.run(recent)).isPresent();
            assertThat(store.run(running)).isPresent();
        }
    }

    @Test
    void aBadRetentionIsNamedWithItsFileLineAndColumnAndNothingIsDeleted() throws IOException {
        Path config = Files.writeString(home.resolve("hone-server.yaml"),
                "retention:\n  workspaces: 0\n  logs: soon\n");

        assertThat(cli.run("gc", "--config", config.toString(), "--data", data.root().toString())).isEqualTo(2);

        assertThat(cli.err()).isEqualTo("hone: " + config + ":2:15: retention.workspaces: must be more than 0, got 0 "
                + "— write a duration such as 7d, or forever to keep it always\n"
                + config + ":3:9: retention.logs: must be a duration such as 12h, 7d or 90d, or forever, got \"soon\"\n"
                + "Fix these in " + config + " and start Hone again.\n");
        assertThat(data.run(expired).workspace()).exists();
    }
}
