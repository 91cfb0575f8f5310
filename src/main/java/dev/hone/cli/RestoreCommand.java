package dev.hone.cli;

import dev.hone.App;
import dev.hone.backup.Backup;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "restore", description = "Puts a backup made by hone backup into an empty data directory: the store "
        + "(migrated when the backup is older than this Hone) and the models.")
final class RestoreCommand implements Callable<Integer> {

    private final App app;

    @Parameters(paramLabel = "FILE", description = "The backup, as hone backup wrote it.")
    Path file;

    @Mixin
    BackupCommand.Installation installation;

    RestoreCommand(App app) {
        this.app = app;
    }

    @Override
    public Integer call() {
        Settings settings = installation.sqlite(app, "hone restore restores",
                "restore it with pg_restore, and put the models back in place");
        Backup.Contents contents = new Backup(settings.dataDir()).restore(file);
        app.out().println("restored " + file + " into " + settings.dataDir() + ": the store and "
                + BackupCommand.models(contents));
        app.out().println("start Hone on it with --data " + settings.dataDir()
                + " (or data_dir: in hone-server.yaml)");
        return 0;
    }
}
