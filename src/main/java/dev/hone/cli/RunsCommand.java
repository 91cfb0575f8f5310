package dev.hone.cli;

import dev.hone.App;
import dev.hone.error.HoneException;
import dev.hone.store.RunRow;
import dev.hone.store.Store;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "runs", description = "Lists runs from the history, newest first.")
final class RunsCommand implements Callable<Integer> {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private final App app;

    @Mixin
    DataOption data;

    @Option(names = "--project", paramLabel = "NAME", description = "Only this project's runs.")
    String project;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most N runs (default 20).")
    int limit;

    @Mixin
    JsonOut.Listing json;

    @Mixin
    Remote.ServerOption server;

    RunsCommand(App app) {
        this.app = app;
    }

    @Override
    public Integer call() throws Exception {
        if (server.server != null) {
            Remote remote = Remote.of(server.server, app.env());
            List<RunRow> runs = remote.runs(project, limit);
            if (runs.isEmpty() && project != null) {
                known(remote.projects(), "on " + remote);
            }
            return print(runs, "on " + remote);
        }
        try (Store store = app.store(app.dataDir(data.data))) {
            List<RunRow> runs = store.runs(project, limit, 0);
            if (runs.isEmpty() && project != null) {
                known(store.projects(), "in " + app.dataDir(data.data));
            }
            return print(runs, "in " + app.dataDir(data.data));
        }
    }

    /** Refuses {@code --project} naming none of the projects {@code known} ({@code where}: "in DIR", "on URL"). */
    private void known(List<String> known, String where) {
        if (!known.contains(project)) {
            throw new HoneException("no project " + project + " " + where + ": "
                    + (known.isEmpty() ? "it has no runs yet; start one with `hone run DIR`"
                            : "the projects are " + String.join(", ", known)));
        }
    }

    /** The runs as a table or JSON, whichever source they came from; {@code where}: "in DIR" or "on URL". */
    private int print(List<RunRow> runs, String where) {
        if (json.target() != null) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (RunRow r : runs) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", r.id());
                m.put("project", r.project());
                m.put("commit", r.commit());
                m.put("branch", r.branch());
                m.put("status", r.status());
                Map<String, Object> best = new LinkedHashMap<>();
                best.put("trial", r.bestTrial());
                best.put("value", r.bestValue());
                m.put("best", r.bestTrial() == null ? null : best);
                m.put("trials", r.trialCount());
                m.put("trial_count", r.trialCount());
                m.put("created_at", r.createdAt().toString());
                m.put("finished_at", r.finishedAt() == null ? null : r.finishedAt().toString());
                out.add(m);
            }
            JsonOut.write(app.out(), json.target(), out);
            return 0;
        }
        if (runs.isEmpty()) {
            app.out().println("no runs yet " + where + ": start one with `hone run DIR`");
            return 0;
        }
        List<List<String>> rows = new ArrayList<>();
        for (RunRow r : runs) {
            rows.add(List.of(Long.toString(r.id()), r.project(), r.status().label(),
                    r.bestValue() == null ? "-" : Tables.number(r.bestValue()) + " (#" + r.bestTrial() + ")",
                    Integer.toString(r.trialCount()), r.commit() == null ? "-" : r.commit().substring(0, 7),
                    TIME.format(r.createdAt())));
        }
        Tables.rows(app.out(), List.of("run", "project", "status", "best", "trials", "commit", "started"), rows);
        return 0;
    }
}
