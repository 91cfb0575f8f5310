package dev.hone.cli;

import dev.hone.App;
import dev.hone.backup.Backup;
import dev.hone.error.HoneException;
import dev.hone.spec.ServerSpec;
import dev.hone.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "backup", description = "Writes one file holding a consistent copy of the SQLite store and every "
        + "project's model; safe while hone serve runs. hone restore FILE puts it back.")
final class BackupCommand implements Callable<Integer> {

    /** Where the README says how to back up and restore a PostgreSQL store. */
    static final String POSTGRESQL_RECIPE = "see \"Backup and restore\" in the README";

    private final App app;

    @Parameters(paramLabel = "FILE", description = "The backup to write (a new file; a zip archive).")
    Path file;

    @Mixin
    Installation installation;

    BackupCommand(App app) {
        this.app = app;
    }

    /** The options of hone backup and hone restore, and the SQLite installation they name. */
    static final class Installation {
        @Mixin
        DataOption data;

        @Option(names = "--config", paramLabel = "FILE", description = "Installation settings (hone-server.yaml).")
        Path config;

        /**
         * The settings, when their store is SQLite; else {@code what} is refused, with {@code instead}: what to do
         * with PostgreSQL's tools.
         */
        Settings sqlite(App app, String what, String instead) {
            Settings settings = Settings.load(app, config, data.data);
            if (!ServerSpec.SQLITE.equals(settings.server().store())) {
                throw new HoneException(what + " a SQLite store, and this installation's store (store: in "
                        + "hone-server.yaml) is PostgreSQL: " + instead + " (" + POSTGRESQL_RECIPE + ")");
            }
            return settings;
        }
    }

    @Override
    public Integer call() {
        Settings settings = installation.sqlite(app, "hone backup copies", "back it up with pg_dump -Fc, and copy the "
                + "data directory's projects/*/model with it");
        if (!Files.isRegularFile(settings.dataDir().store())) {
            throw new HoneException("nothing to back up: " + settings.dataDir() + " holds no store (no "
                    + settings.dataDir().store().getFileName() + "); give the data directory hone serve uses with "
                    + "--data DIR or --config FILE");
        }
        Backup.Contents contents;
        try (Store store = settings.openStore(app)) {
            contents = new Backup(settings.dataDir()).write(store, file);
        }
        app.out().println("backed up " + settings.dataDir() + " to " + file + ": the store and " + models(contents)
                + " (" + megabytes(contents.bytes()) + ")");
        app.out().println("restore it with: hone restore " + file + " --data DIR (a new or empty directory)");
        return 0;
    }

    static String models(Backup.Contents contents) {
        return contents.models() == 1 ? "1 model" : contents.models() + " models";
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
