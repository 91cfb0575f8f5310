package dev.hone.cli;

import dev.hone.App;
import dev.hone.retention.Sweep;
import dev.hone.retention.Sweeper;
import dev.hone.spec.ServerSpec.Retention;
import dev.hone.store.Store;
import dev.hone.time.Durations;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "gc", description = {
        "Deletes now what has expired under retention: (hone-server.yaml), as hone serve does at its start and every "
                + "hour: finished runs' workspaces (default: after 7d), their trials' logs and outputs (90d), whole "
                + "runs with their records (never, by default).",
        "Never a queued, running or interrupted run, each project's best trial (keep: best) or the trial whose "
                + "model is served (keep: served). Prints each file or directory and its size."})
final class GcCommand implements Callable<Integer> {

    private final App app;

    @Mixin
    InstallationOptions installation;

    @Option(names = "--dry-run", description = "Only list what would be deleted and its size; delete nothing.")
    boolean dryRun;

    GcCommand(App app) {
        this.app = app;
    }

    @Override
    public Integer call() {
        Settings settings = installation.settings(app);
        Retention retention = settings.server().retention();
        PrintStream out = app.out();
        try (Store store = settings.openStoreOrExit(app)) {
            Sweeper sweeper = new Sweeper(store, settings.dataDir(), retention, app.env(), app.clock(), Set::of);
            Sweep sweep = dryRun ? sweeper.plan() : sweeper.sweep();
            for (Sweep.Item item : sweep.items()) {
                out.printf("%-10s  %-16s  %10s  %s%s%n", item.kind().label(),
                        "run " + item.run() + (item.trial() == null ? "" : " trial " + item.trial()),
                        Sweep.size(item.bytes()), item.path(),
                        item.kind() == Sweep.Kind.RUNS && item.path().equals(settings.dataDir().run(item.run()).root())
                                ? " (and its records in the store)" : "");
            }
            sweep.failures().forEach(f -> app.err().println("hone gc: " + f));
            if (sweep.items().isEmpty()) {
                out.println("hone gc: nothing has expired (retention: " + describe(retention) + ")");
            } else if (dryRun) {
                out.println("hone gc: would free " + sweep.summary() + " — a dry run: nothing was deleted");
            } else {
                out.println("hone gc: freed " + sweep.summary());
            }
            return sweep.failures().isEmpty() ? 0 : 3;
        }
    }

    /** {@code workspaces 7d, logs 90d, runs forever; keep best, served}. */
    static String describe(Retention retention) {
        String keep = retention.keep().isEmpty() ? "nothing"
                : retention.keep().stream().map(Retention.Keep::label).collect(Collectors.joining(", "));
        return "workspaces " + age(retention.workspaces()) + ", logs " + age(retention.logs()) + ", runs "
                + age(retention.runs()) + "; keep " + keep;
    }

    private static String age(Duration age) {
        if (age == null) {
            return "forever";
        }
        return age.toSeconds() % 86_400 == 0 && age.toNanos() % 1_000_000_000 == 0 ? age.toDays() + "d"
                : Durations.format(age);
    }
}
