package dev.hone.web;

import dev.hone.server.Server;
import dev.hone.source.GitDiff;
import dev.hone.spec.Spec;
import dev.hone.store.RunRow;
import dev.hone.store.Store;
import dev.hone.store.TrialRow;
import dev.hone.tune.Direction;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the dashboard shows of a project beyond its runs: its history across commits (each run's best against the
 * previous run's, {@code /api/projects/{name}/history}), runs side by side ({@code /api/compare?runs=…}: trials,
 * best parameters and how each run's {@code hone.yaml} differs from the first's), and downloads as {@code .tar.gz}:
 * the project's current model and a trial's output files.
 */
final class ProjectRoutes {

    /** The most runs {@code /api/compare} takes at once. */
    static final int MAX_COMPARED = 8;

    private final Server server;
    private final Store store;

    ProjectRoutes(Server server) {
        this.server = server;
        this.store = server.store();
    }

    void register(RoutesConfig routes) {
        routes.get("/api/projects/{name}/history", this::history);
        routes.get("/api/projects/{name}/model.tar.gz", this::model);
        routes.get("/api/runs/{id}/trials/{number}/output.tar.gz", this::output);
        routes.get("/api/compare", this::compare);
        routes.post("/api/projects/{name}/bisect", this::bisect);
        routes.get("/api/projects/{name}/bisect/{id}", this::bisection);
    }

    /**
     * Starts {@code hone bisect GOOD BAD} on the project's watched repository: 202 with the bisection's id and, in
     * {@code Location}, where to GET it; what can be checked before training (the commits, GOOD's run) is a 400 now.
     */
    private void bisect(Context ctx) {
        String name = ctx.pathParam("name");
        Bodies.BisectRequest request = Json.read(Requests.body(ctx), Bodies.BisectRequest.class);
        long id = server.bisections().start(name, request.good(), request.bad(),
                request.tolerance() == null ? 0 : request.tolerance());
        ctx.status(HttpStatus.ACCEPTED).header("Location", "/api/projects/" + name + "/bisect/" + id)
                .json(Bodies.BisectItem.of(server.bisections().get(name, id).orElseThrow()));
    }

    private void bisection(Context ctx) {
        String name = ctx.pathParam("name");
        long id = Requests.number(ctx.pathParam("id"), "bisection");
        ctx.json(Bodies.BisectItem.of(server.bisections().get(name, id).orElseThrow(() -> new NotFoundResponse(
                "no bisection " + id + " of project " + name + " (bisections are kept in memory, the last "
                        + "50, until the server stops)"))));
    }

    /**
     * The project's newest {@code limit} runs, oldest first, each with its commit and best value, {@code regression}
     * true when its best is worse (by the run's metric's direction) than the best of the run before it that had one.
     */
    private void history(Context ctx) {
        String name = known(ctx.pathParam("name"));
        int limit = Requests.limit(ctx);
        List<RunRow> runs = new ArrayList<>(store.runs(name, limit, 0)).reversed();
        List<Bodies.HistoryPoint> points = new ArrayList<>();
        Double previous = null;
        Long previousRun = null;
        Spec.Metric metric = null;
        for (RunRow run : runs) {
            metric = run.metric() != null ? run.metric() : metric;
            Direction direction = run.metric() == null ? Direction.MAXIMIZE : run.metric().direction();
            boolean worse = run.bestValue() != null && previous != null && (direction == Direction.MAXIMIZE
                    ? run.bestValue() < previous : run.bestValue() > previous);
            points.add(new Bodies.HistoryPoint(Bodies.RunItem.of(run), run.metric() == null ? null
                    : run.metric().target(), worse, worse ? previousRun : null, worse ? previous : null));
            if (run.bestValue() != null) {
                previous = run.bestValue();
                previousRun = run.id();
            }
        }
        ctx.json(new Bodies.History(name, metric == null ? null : Bodies.MetricItem.of(metric),
                Files.isDirectory(server.dataDir().model(name), LinkOption.NOFOLLOW_LINKS), points));
    }

    private void model(Context ctx) throws IOException {
        String name = known(ctx.pathParam("name"));
        Path model = server.dataDir().model(name);
        if (!Files.isDirectory(model, LinkOption.NOFOLLOW_LINKS)) {
            throw new NotFoundResponse("project " + name + " has no model yet: a run's best trial becomes the model "
                    + "when the run succeeds (its $HONE_OUTPUT files)");
        }
        send(ctx, model, name + "-model");
    }

    private void output(Context ctx) throws IOException {
        RunRow run = run(Requests.id(ctx));
        int number = Requests.number(ctx.pathParam("number"), "trial");
        if (store.trials(run.id(), 1, number - 1).stream().noneMatch(t -> t.trial().number() == number)) {
            throw new NotFoundResponse("run " + run.id() + " has no trial " + number);
        }
        Path output = server.dataDir().run(run.id()).trial(number).output();
        if (!Files.isDirectory(output, LinkOption.NOFOLLOW_LINKS)) {
            throw new NotFoundResponse("trial " + number + " of run " + run.id() + " kept no output files (none were "
                    + "written to $HONE_OUTPUT, or retention has deleted them)");
        }
        send(ctx, output, run.project() + "-run" + run.id() + "-trial" + number);
    }

    private static void send(Context ctx, Path dir, String top) throws IOException {
        ctx.contentType("application/gzip")
                .header("Content-Disposition", "attachment; filename=\"" + top.replaceAll("[^A-Za-z0-9._-]", "_")
                        + ".tar.gz\"")
                .header("Cache-Control", "no-store");
        Archives.tarGz(dir, top.replaceAll("[^A-Za-z0-9._-]", "_"), ctx.outputStream());
    }

    /**
     * {@code ?runs=3,7,9}: each run with its trials' values and its best parameters, and the unified diff from the
     * first run's {@code hone.yaml} to each other's (empty when the same).
     */
    private void compare(Context ctx) {
        String text = ctx.queryParam("runs");
        if (text == null || text.isBlank()) {
            throw new BadRequestResponse("give the runs to compare: ?runs=ID,ID (two to " + MAX_COMPARED + ")");
        }
        Set<Long> ids = new LinkedHashSet<>();
        for (String part : text.split(",")) {
            try {
                ids.add(Long.parseLong(part.strip()));
            } catch (NumberFormatException e) {
                throw new BadRequestResponse("runs must be run ids separated by commas, got \"" + part.strip() + "\"");
            }
        }
        if (ids.size() < 2 || ids.size() > MAX_COMPARED) {
            throw new BadRequestResponse("compare two to " + MAX_COMPARED + " different runs, got " + ids.size());
        }
        List<RunRow> runs = ids.stream().map(this::run).toList();
        String first = server.specFileOfRun(runs.getFirst()).orElse(null);
        List<Bodies.Compared> compared = new ArrayList<>();
        for (RunRow run : runs) {
            List<TrialRow> trials = store.trials(run.id());
            Map<String, Object> best = trials.stream().filter(t -> run.bestTrial() != null
                    && t.trial().number() == run.bestTrial()).findFirst().map(t -> t.trial().params()).orElse(null);
            String spec = server.specFileOfRun(run).orElse(null);
            compared.add(new Bodies.Compared(Bodies.RunItem.of(run),
                    run.metric() == null ? null : Bodies.MetricItem.of(run.metric()), best,
                    trials.stream().map(t -> new Bodies.TrialValue(t.trial().number(), t.trial().state().label(),
                            t.trial().value())).toList(),
                    spec, run == runs.getFirst() ? null : GitDiff.unified(first, spec, 3)));
        }
        ctx.json(compared);
    }

    private RunRow run(long id) {
        return store.run(id).orElseThrow(() -> new NotFoundResponse("no run " + id));
    }

    private String known(String name) {
        if (!store.projects().contains(name)) {
            throw new NotFoundResponse("no project " + name + ": a project appears with its first run; "
                    + "GET /api/projects lists them");
        }
        return name;
    }
}
