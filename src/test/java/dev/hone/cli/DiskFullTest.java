package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.run.Notifiable;
import dev.hone.run.RunStatus;
import dev.hone.store.EventRow;
import dev.hone.store.RunRow;
import dev.hone.store.Store;
import dev.hone.store.Stores;
import dev.hone.store.TrialRow;
import dev.hone.testing.SmallDisk;
import dev.hone.tune.TrialState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.groups.Tuple.tuple;

/**
 * {@code hone run} with its data directory on a real disk that fills up: a tmpfs of a few MiB mounted by the test.
 * The run stops starting trials, says so, records what it can, exits 3 and leaves a store that opens and checks.
 */
class DiskFullTest {

    static final String HONE_YAML = """
            metric: {name: accuracy, target: 0.99}
            tune: {strategy: random, params: {c: {min: 1, max: 10}}, max_trials: 5, seed: 1}
            """;
    /** Fills the disk its output is on, then reports a value. */
    static final String FILLS_THE_DISK = """
            import os
            try:
                with open(os.path.join(os.environ["HONE_OUTPUT"], "filler"), "wb", buffering=0) as f:
                    while True:
                        f.write(b"x" * 65536)
            except OSError:
                pass
            print("accuracy=0.5", flush=True)
            """;

    @TempDir
    Path home;
    SmallDisk disk;
    Path data;

    @BeforeEach
    void mount() throws IOException {
        disk = SmallDisk.mount(home.resolve("disk"), 4);
        data = disk.dir().resolve("data");
    }

    @AfterEach
    void unmount() {
        if (disk != null) {
            disk.close();
        }
    }

    @Test
    void aTrialThatFillsTheDiskStopsTheRunWhichEndsFailedAndRecordedWithExit3() throws Exception {
        Cli cli = new Cli(home);
        Path project = RunCommandTest.project(home.resolve("fills"), HONE_YAML, FILLS_THE_DISK);

        int code = cli.run("run", project.toString(), "--executor", "local", "--data", data.toString());

        String reason = "no space left on " + data + ": no more trials are started; free space there, then run again";
        assertThat(code).as(cli.out() + cli.err()).isEqualTo(3);
        assertThat(cli.out()).contains("hone: " + reason + "\n")
                .endsWith("\ntraining failed in trial 1: " + reason
                        + " (run 1; logs: hone trials 1)\n");
        assertThat(cli.out() + cli.err()).doesNotContain("\tat ", "Exception", "trial 2/5");
        try (Store store = Stores.open(data.resolve("hone.db").toString())) {
            RunRow run = store.run(1).orElseThrow();
            assertThat(run.status()).isEqualTo(RunStatus.FAILED);
            assertThat(run.finishedAt()).isNotNull();
            assertThat(store.trials(1)).extracting(TrialRow::trial).singleElement().satisfies(t -> {
                assertThat(t.state()).isEqualTo(TrialState.SUCCEEDED);
                assertThat(t.value()).isEqualTo(0.5);
            });
            assertThat(store.events(1)).extracting(EventRow::type, EventRow::message).containsExactly(
                    tuple(Notifiable.TRAINING_FAILED.type(),
                            "fills: training failed in trial 1: " + reason));
        }
        assertThat(integrity(data.resolve("hone.db"))).isEqualTo("ok");
    }

    @Test
    void aDiskFullBeforeTheRunStartsNothingAndSaysSoWithExit3() throws Exception {
        Cli cli = new Cli(home);
        Path marker = home.resolve("trial-ran");
        Path project = RunCommandTest.project(home.resolve("never"), HONE_YAML,
                "open(" + quoted(marker) + ", 'w').write('ran')\nprint('accuracy=0.5')\n");
        Files.createDirectories(data);
        disk.fill("filler");

        int code = cli.run("run", project.toString(), "--executor", "local", "--data", data.toString());

        assertThat(code).as(cli.out() + cli.err()).isEqualTo(3);
        assertThat(cli.err()).startsWith("hone: no space left on " + data + ": the run could not be recorded in "
                + "full (cannot open store " + data.resolve("hone.db") + ": ");
        assertThat(cli.err()).endsWith("); free space there, then run again\n").doesNotContain("\tat ");
        assertThat(marker).doesNotExist();
    }

    private static String quoted(Path path) {
        return "'" + path.toString().replace("'", "\\'") + "'";
    }

    /** SQLite's own check of the file: "ok" when it is whole. */
    private static String integrity(Path db) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             ResultSet rs = c.createStatement().executeQuery("PRAGMA integrity_check")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
