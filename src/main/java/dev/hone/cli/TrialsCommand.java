package dev.hone.cli;

import dev.hone.App;
import dev.hone.error.HoneException;
import dev.hone.data.RunDir;
import dev.hone.pipeline.RunMetrics;
import dev.hone.pipeline.Summaries;
import dev.hone.pipeline.Summary;
import dev.hone.store.RunRow;
import dev.hone.store.Store;
import dev.hone.store.TrialRow;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "trials",
        description = "Lists the trials of a run (default: the latest run), with where their logs are.")
final class TrialsCommand implements Callable<Integer> {

    private final App app;

    @Parameters(index = "0", arity = "0..1", paramLabel = "RUN", description = "The run's id (see `hone runs`).")
    Long runId;

    @Mixin
    DataOption data;

    @Mixin
    JsonOut.Listing json;

    @Mixin
    Remote.ServerOption server;

    TrialsCommand(App app) {
        this.app = app;
    }

    /** The summary as JSON, or its table and lines, from whichever source; false when it was JSON. */
    private boolean print(Summary summary, Map<String, String> data) {
        if (json.target() != null) {
            JsonOut.write(app.out(), json.target(), summary);
            return false;
        }
        app.out().printf("run %d · %s · %s%s%n", summary.run(), summary.project(), summary.status().label(),
                summary.commit() == null ? "" : " · commit " + summary.commit().substring(0, 7));
        data.forEach((source, version) -> app.out().println("data " + source + " at " + version));
        Tables.trials(app.out(), summary, true);
        Tables.best(app.out(), summary);
        summary.problems().forEach(p -> app.out().println(p));
        summary.events().forEach(e -> app.out().println("event " + e.type() + ": " + e.message()));
        summary.notifications().forEach(n -> app.out().println("notified " + n.channel() + " of " + n.event()
                + ": " + n.status().label()
                + (n.detail() == null || n.detail().isBlank() ? "" : " (" + n.detail() + ")")));
        return true;
    }

    @Override
    public Integer call() throws Exception {
        if (server.server != null) {
            Remote remote = Remote.of(server.server, app.env());
            long id = runId != null ? runId : remote.latestRun();
            Map<String, String> data = new LinkedHashMap<>();
            remote.run(id).path("data_versions").properties().forEach(e -> data.put(e.getKey(), e.getValue().asText()));
            print(remote.summary(id), data);
            return 0;
        }
        try (Store store = app.store(app.dataDir(data.data))) {
            RunRow run = runId != null
                    ? store.run(runId).orElseThrow(() -> new HoneException("no run " + runId + " in "
                            + app.dataDir(data.data) + ": `hone runs` lists them"))
                    : store.runs(null, 1, 0).stream().findFirst().orElseThrow(() -> new HoneException(
                            "no runs yet in " + app.dataDir(data.data) + ": start one with `hone run DIR`"));
            List<TrialRow> trials = store.trials(run.id());
            Summary summary = Summaries.of(run, RunMetrics.withObjectives(run, store, app.env()).orElse(null), trials,
                    store.events(run.id()), store.notifications(run.id()))
                    .withWarmStart(Summaries.warmStart(store, run.id()));
            if (!print(summary, store.dataVersions(run.id()))) {
                return 0;
            }
            trials.stream().filter(t -> t.logPath() != null).reduce((a, b) -> b)
                    .ifPresent(t -> app.out().println("logs: " + RunDir.ofTrialLog(Path.of(t.logPath()))
                            .trialLogs()));
            RunDir runDir = app.dataDir(data.data).run(run.id());
            long rebuilds = runDir.rebuildCount();
            if (rebuilds > 0) {
                app.out().println("rebuild program: " + runDir.rebuildLogs() + ", k = 1"
                        + (rebuilds > 1 ? " to " + rebuilds : ""));
            }
            return 0;
        }
    }
}
