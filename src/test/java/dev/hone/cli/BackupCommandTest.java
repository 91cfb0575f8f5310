package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.metrics.MetricPoint;
import dev.hone.run.RunStatus;
import dev.hone.store.NewRun;
import dev.hone.store.Store;
import dev.hone.store.Stores;
import dev.hone.store.TrialRow;
import dev.hone.tune.Trial;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hone backup FILE} and {@code hone restore FILE} on a real SQLite store, with real writers. */
class BackupCommandTest {

    private static final Instant AT = Instant.parse("2026-12-05T10:00:00Z");

    @TempDir
    Path home;

    @Test
    void aBackupTakenWhileTrialsAreWrittenRestoresEveryTrialWrittenBeforeItStarted() throws Exception {
        Cli cli = new Cli(home);
        Path backup = home.resolve("backups/hone-backup.zip");
        Path model = cli.data().resolve("projects/churn/model");
        Files.createDirectories(model.resolve("weights"));
        Files.writeString(model.resolve("model.pkl"), "the best model");
        Files.writeString(model.resolve("weights/layer1.bin"), "0101");
        AtomicInteger written = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        CountDownLatch writing = new CountDownLatch(1);
        int before;
        int after;
        long runId;
        try (Store server = Stores.open(cli.data().resolve("hone.db").toString())) {
            runId = server.createRun(new NewRun("churn", "/src/churn", null, null, null, null, null, AT));
            for (int n = 1; n <= 400; n++) {
                saveTrial(server, runId, n); // a history of some size, so that copying it takes a while
            }
            written.set(400);
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    for (int n = 401; !stop.get(); n++) {
                        saveTrial(server, runId, n);
                        written.set(n);
                        writing.countDown();
                    }
                } catch (Throwable e) {
                    writerFailure.set(e);
                    writing.countDown();
                }
            });
            writing.await();
            before = written.get();
            int exit = cli.run("backup", backup.toString(), "--data", cli.data().toString());
            after = written.get();
            stop.set(true);
            writer.join();

            assertThat(writerFailure.get()).isNull();
            assertThat(exit).as(cli.err()).isZero();
            assertThat(cli.out()).matches("backed up " + quoted(cli.data()) + " to " + quoted(backup)
                    + ": the store and 1 model \\(\\d+\\.\\d MB\\)\n"
                    + "restore it with: hone restore " + quoted(backup) + " --data DIR \\(a new or empty directory\\)\n");
            assertThat(after).as("trials written while the backup ran").isGreaterThan(before);
        }

        Path restored = home.resolve("restored");
        assertThat(cli.run("restore", backup.toString(), "--data", restored.toString())).as(cli.err()).isZero();

        assertThat(cli.out()).isEqualTo("restored " + backup + " into " + restored + ": the store and 1 model\n"
                + "start Hone on it with --data " + restored + " (or data_dir: in hone-server.yaml)\n");
        assertThat(integrityCheck(restored.resolve("hone.db"))).isEqualTo("ok");
        try (Store store = Stores.open(restored.resolve("hone.db").toString())) {
            List<TrialRow> trials = store.trials(runId);
            assertThat(trials).hasSizeBetween(before, after);
            for (int n = 1; n <= before; n++) {
                Trial trial = trials.get(n - 1).trial();
                assertThat(trial.number()).isEqualTo(n);
                assertThat(trial.value()).isEqualTo(n / 1000.0);
                assertThat(trial.params()).isEqualTo(Map.of("lr", n * 1e-4));
                assertThat(trial.intermediate()).hasSize(20);
            }
            assertThat(store.run(runId).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
        }
        assertThat(Files.readString(restored.resolve("projects/churn/model/model.pkl"))).isEqualTo("the best model");
        assertThat(Files.readString(restored.resolve("projects/churn/model/weights/layer1.bin"))).isEqualTo("0101");
        assertThat(backup.getParent()).isDirectoryNotContaining(p -> !p.equals(backup));
        assertThat(home).isDirectoryNotContaining("glob:**.partial");
    }

    private static void saveTrial(Store store, long runId, int n) {
        List<MetricPoint> curve = new ArrayList<>();
        for (int step = 1; step <= 20; step++) {
            curve.add(new MetricPoint(step, n / 1000.0 * step / 20));
        }
        store.saveTrial(runId, Trial.succeeded(n, Map.of("lr", n * 1e-4), n / 1000.0, curve, 1000 + n), AT,
                "runs/1/trials/" + n + "/train.log");
    }

    private static String integrityCheck(Path database) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database);
             Statement s = c.createStatement();
             ResultSet result = s.executeQuery("PRAGMA integrity_check")) {
            result.next();
            return result.getString(1);
        }
    }

    private static String quoted(Path path) {
        return java.util.regex.Pattern.quote(path.toString());
    }

    @Nested
    class Refusals {

        @Test
        void restoreRefusesADataDirectoryThatIsNotEmpty() throws IOException {
            Cli cli = new Cli(home);
            Path backup = backedUp(cli);
            Path used = Files.createDirectories(home.resolve("used"));
            Files.writeString(used.resolve("hone.db"), "");
            Files.createDirectories(used.resolve("runs"));
            Files.createDirectories(used.resolve("projects"));
            Files.createDirectories(used.resolve("repos"));

            assertThat(cli.run("restore", backup.toString(), "--data", used.toString())).isEqualTo(2);

            assertThat(cli.err()).isEqualTo("hone: cannot restore into " + used + ": it is not empty (it holds "
                    + "hone.db, projects, repos, …); restore into a new or empty directory with --data DIR, or move "
                    + "this one aside first\n");
            assertThat(Files.size(used.resolve("hone.db"))).isZero();
        }

        @Test
        void restoreFillsAnEmptyDirectory() throws IOException {
            Cli cli = new Cli(home);
            Path backup = backedUp(cli);
            Path empty = Files.createDirectories(home.resolve("empty"));

            assertThat(cli.run("restore", backup.toString(), "--data", empty.toString())).as(cli.err()).isZero();

            try (Store store = Stores.open(empty.resolve("hone.db").toString())) {
                assertThat(store.projects()).containsExactly("churn");
            }
        }

        @Test
        void backupRefusesAFileThatExists() throws IOException {
            Cli cli = new Cli(home);
            Path backup = backedUp(cli);

            assertThat(cli.run("backup", backup.toString())).isEqualTo(2);

            assertThat(cli.err()).isEqualTo("hone: cannot back up to " + backup + ": it exists; give a new file name, "
                    + "or delete it first\n");
        }

        @Test
        void backupRefusesADataDirectoryWithoutAStore() {
            Cli cli = new Cli(home);
            Path nowhere = home.resolve("nowhere");

            assertThat(cli.run("backup", home.resolve("b.zip").toString(), "--data", nowhere.toString()))
                    .isEqualTo(2);

            assertThat(cli.err()).isEqualTo("hone: nothing to back up: " + nowhere + " holds no store (no hone.db); "
                    + "give the data directory hone serve uses with --data DIR or --config FILE\n");
            assertThat(nowhere).doesNotExist();
            assertThat(home.resolve("b.zip")).doesNotExist();
        }

        @Test
        void aPostgreSqlStoreIsBackedUpWithPgDump() throws IOException {
            Cli cli = new Cli(home);
            Path config = Files.writeString(home.resolve("hone-server.yaml"),
                    "data_dir: " + home.resolve("data") + "\nstore: jdbc:postgresql://db/hone?user=hone&password=pw-1\n");

            assertThat(cli.run("backup", home.resolve("b.zip").toString(), "--config", config.toString()))
                    .isEqualTo(2);
            assertThat(cli.err()).isEqualTo("hone: hone backup copies a SQLite store, and this installation's store "
                    + "(store: in hone-server.yaml) is PostgreSQL: back it up with pg_dump -Fc, and copy the "
                    + "data directory's projects/*/model with it (see \"Backup and restore\" in the README)\n");
            assertThat(cli.run("restore", home.resolve("b.zip").toString(), "--config", config.toString()))
                    .isEqualTo(2);
            assertThat(cli.err()).isEqualTo("hone: hone restore restores a SQLite store, and this installation's "
                    + "store (store: in hone-server.yaml) is PostgreSQL: restore it with pg_restore, and put the "
                    + "models back in place (see \"Backup and restore\" in the README)\n");
            assertThat(home.resolve("data")).doesNotExist();
        }
    }

    @Nested
    class NotABackup {

        @Test
        void aFileThatIsNotAZipArchiveIsRefusedAndNothingIsWritten() throws IOException {
            Cli cli = new Cli(home);
            Path notes = Files.writeString(home.resolve("notes.txt"), "not a backup");
            Path target = home.resolve("restored");

            assertThat(cli.run("restore", notes.toString(), "--data", target.toString())).isEqualTo(2);

            assertThat(cli.err()).isEqualTo("hone: cannot restore " + notes + ": it is not a backup made by hone "
                    + "backup (it is not a zip archive); nothing was written\n");
            assertNothingWritten(target);
        }

        @Test
        void aZipArchiveWithoutTheManifestIsRefused() throws IOException {
            Cli cli = new Cli(home);
            Path zip = zip(home.resolve("other.zip"), Map.of("hone.db", "x", "README", "hello"));
            Path target = home.resolve("restored");

            assertThat(cli.run("restore", zip.toString(), "--data", target.toString())).isEqualTo(2);

            assertThat(cli.err()).isEqualTo("hone: cannot restore " + zip + ": it is not a backup made by hone backup "
                    + "(it holds no hone-backup.properties); nothing was written\n");
            assertNothingWritten(target);
        }

        @Test
        void anEntryOutsideTheStoreAndTheModelsIsRefusedBeforeAnythingIsWritten() throws IOException {
            Cli cli = new Cli(home);
            Path zip = zip(home.resolve("evil.zip"), Map.of("hone-backup.properties", "format=1", "hone.db", "x",
                    "projects/a/model/../../../../escaped", "boo"));
            Path target = home.resolve("restored");

            assertThat(cli.run("restore", zip.toString(), "--data", target.toString())).isEqualTo(2);

            assertThat(cli.err()).isEqualTo("hone: cannot restore " + zip + ": it is not a backup made by hone backup "
                    + "(it holds projects/a/model/../../../../escaped, which no Hone backup holds); nothing was "
                    + "written\n");
            assertNothingWritten(target);
            assertThat(home.getParent().resolve("escaped")).doesNotExist();
        }

        @Test
        void aStoreThatIsNotADatabaseIsRefusedAndNothingIsLeft() throws IOException {
            Cli cli = new Cli(home);
            Path zip = zip(home.resolve("broken.zip"), Map.of("hone-backup.properties", "format=1",
                    "hone.db", "this is no SQLite database, though it is long enough to be read as one's header",
                    "projects/a/model/m.bin", "1"));
            Path target = home.resolve("restored");

            assertThat(cli.run("restore", zip.toString(), "--data", target.toString())).isEqualTo(2);

            assertThat(cli.err()).startsWith("hone: cannot restore " + zip + ": it is not a backup made by hone "
                    + "backup (its hone.db does not open as a store (cannot open store ")
                    .endsWith("); nothing was written\n");
            assertNothingWritten(target);
        }

        @Test
        void aMissingFileIsNamed() {
            Cli cli = new Cli(home);
            Path missing = home.resolve("missing.zip");

            assertThat(cli.run("restore", missing.toString(), "--data", home.resolve("restored").toString()))
                    .isEqualTo(2);

            assertThat(cli.err()).isEqualTo("hone: cannot restore " + missing + ": there is no such file; give a "
                    + "file made by hone backup\n");
        }

        private void assertNothingWritten(Path target) throws IOException {
            assertThat(target).doesNotExist();
            try (Stream<Path> left = Files.list(home)) {
                assertThat(left.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".partial"));
            }
        }
    }

    /** A store with one run and a model, backed up to a file beside the data directory. */
    private Path backedUp(Cli cli) throws IOException {
        try (Store store = Stores.open(cli.data().resolve("hone.db").toString())) {
            store.createRun(new NewRun("churn", "/src/churn", null, null, null, null, null, AT));
        }
        Files.createDirectories(cli.data().resolve("projects/churn/model"));
        Path backup = home.resolve("hone.zip");
        assertThat(cli.run("backup", backup.toString())).as(cli.err()).isZero();
        return backup;
    }

    private static Path zip(Path file, Map<String, String> entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (var e : new java.util.TreeMap<>(entries).entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return file;
    }
}
