package dev.hone.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hone.pipeline.RunMetrics;
import dev.hone.pipeline.Summaries;
import dev.hone.pipeline.Summary;
import dev.hone.run.RunStatus;
import dev.hone.server.Cancellation;
import dev.hone.server.Server;
import dev.hone.server.Watched;
import dev.hone.spec.Spec;
import dev.hone.spec.SpecLoader;
import dev.hone.store.RunQueue;
import dev.hone.store.RunRow;
import dev.hone.store.Store;
import dev.hone.store.TrialRow;
import dev.hone.tune.Direction;
import dev.hone.tune.importance.ParamImportance;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.ConflictResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/projects} (each with its latest run and the model it serves) and {@code /api/runs…}: the history, and
 * triggering and cancelling runs; a run's parameter importance.
 */
final class RunRoutes {

    private final Server server;
    private final Store store;
    private final Map<String, String> env;
    private final RerunRoutes reruns;
    private final Importances importances;

    RunRoutes(Server server, Map<String, String> env, RerunRoutes reruns) {
        this.server = server;
        this.store = server.store();
        this.env = env;
        this.reruns = reruns;
        this.importances = new Importances(store);
    }

    void register(RoutesConfig routes) {
        routes.get("/api/projects", this::projects);
        routes.get("/api/projects/{name}", this::project);
        routes.get("/api/runs", this::runs);
        routes.get("/api/runs/{id}", this::run);
        routes.get("/api/runs/{id}/trials", this::trials);
        routes.get("/api/runs/{id}/importance", this::importance);
        routes.get("/api/runs/{id}/events", ctx -> ctx.json(store.events(existing(ctx).id()).stream()
                .map(Bodies.EventItem::of).toList()));
        routes.post("/api/runs", this::trigger);
        routes.post("/api/runs/{id}/cancel", this::cancel);
    }

    private void projects(Context ctx) {
        int limit = Requests.limit(ctx);
        int offset = Requests.offset(ctx);
        List<String> names = store.projects();
        List<Bodies.ProjectItem> items = names.stream().skip(offset).limit(limit).map(this::item).toList();
        ctx.json(new Bodies.Page<>(items, limit, offset, offset + limit < names.size() ? offset + limit : null));
    }

    private void project(Context ctx) {
        String name = ctx.pathParam("name");
        if (!store.projects().contains(name) && server.serving(name).isEmpty()) {
            throw new NotFoundResponse("no project " + name + ": a project appears with its first run; "
                    + "GET /api/projects lists them");
        }
        ctx.json(item(name));
    }

    private Bodies.ProjectItem item(String name) {
        return new Bodies.ProjectItem(name, store.runs(name, 1, 0).stream().findFirst().map(Bodies.RunItem::of)
                .orElse(null), server.serving(name).map(Bodies.Serving::of).orElse(null));
    }

    /**
     * A page of runs, newest first: after {@code offset} runs, or (cheaper on deep pages) older than the run
     * {@code before}; {@code next_before} is the cursor of the next page.
     */
    private void runs(Context ctx) {
        int limit = Requests.limit(ctx);
        int offset = Requests.offset(ctx);
        Long before = Requests.before(ctx);
        List<RunRow> rows = store.runs(ctx.queryParam("project"), before, limit + 1, offset);
        List<Bodies.RunItem> items = rows.stream().limit(limit).map(Bodies.RunItem::of).toList();
        boolean more = rows.size() > limit;
        ctx.json(new Bodies.RunPage(items, limit, offset, more ? offset + limit : null,
                more ? items.getLast().id() : null));
    }

    /**
     * Without {@code limit} or {@code offset}: every trial, as a list (as before paging came). With either: a page
     * like the other lists, {@code {items, limit, offset, next_offset}}.
     */
    private void trials(Context ctx) {
        long id = existing(ctx).id();
        if (ctx.queryParam("limit") == null && ctx.queryParam("offset") == null) {
            ctx.json(store.trials(id).stream().map(Bodies.TrialItem::of).toList());
            return;
        }
        int limit = Requests.limit(ctx);
        int offset = Requests.offset(ctx);
        List<TrialRow> rows = store.trials(id, limit + 1, offset);
        ctx.json(new Bodies.Page<>(rows.stream().limit(limit).map(Bodies.TrialItem::of).toList(), limit, offset,
                rows.size() > limit ? offset + limit : null));
    }

    /**
     * Which parameters mattered: PED-ANOVA over the run's succeeded trials, highest first; {@code params} empty (and
     * {@code note} saying why) before {@link ParamImportance#MIN_TRIALS} trials have succeeded; worked out once per set of ended trials
     * ({@link Importances}).
     */
    private void importance(Context ctx) {
        RunRow run = existing(ctx);
        Spec.Metric metric = metric(run);
        ctx.json(importances.of(run, metric == null ? Direction.MAXIMIZE : metric.direction()));
    }

    private void run(Context ctx) {
        RunRow run = existing(ctx);
        Summary summary = Summaries.of(run, withObjectives(run), store.trials(run.id()), store.events(run.id()),
                store.notifications(run.id())).withWarmStart(Summaries.warmStart(store, run.id()));
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("id", run.id());
        body.setAll((ObjectNode) Json.MAPPER.valueToTree(summary));
        body.put("branch", run.branch());
        body.put("author", run.author());
        body.put("message", run.message());
        body.set("created_at", Json.MAPPER.valueToTree(run.createdAt()));
        body.set("finished_at", Json.MAPPER.valueToTree(run.finishedAt()));
        body.put("live", run.status().live());
        body.put("cancelled_by", run.cancelledBy());
        body.set("cancelled_at", Json.MAPPER.valueToTree(run.cancelledAt()));
        body.set("data_versions", Json.MAPPER.valueToTree(store.dataVersions(run.id())));
        reruns.describe(run, body);
        ctx.json(body);
    }

    private void trigger(Context ctx) {
        Bodies.TriggerRequest request = Json.read(Requests.body(ctx), Bodies.TriggerRequest.class);
        if (request.project() == null || request.project().isBlank()) {
            throw new BadRequestResponse("give the project to run: {\"project\": \"NAME\"}");
        }
        Watched repository = server.watchlist().byProject(request.project(), store).orElseThrow(() ->
                new NotFoundResponse("no watched repository runs project " + request.project()
                        + ": add its repository (hone repo add URL) or check the name (GET /api/projects)"));
        long id = server.intake().trigger(repository, request.commit(), request.branch());
        ctx.status(HttpStatus.ACCEPTED).header("Location", "/api/runs/" + id)
                .json(new Bodies.Queued(id, RunStatus.QUEUED.label()));
    }

    private void cancel(Context ctx) {
        RunRow run = existing(ctx);
        String by = Gate.writer(ctx);
        Cancellation cancelled = server.cancel(run.id(), by).orElseThrow(() -> new ConflictResponse("run " + run.id()
                + " has already ended (" + store.run(run.id()).map(RunRow::status).orElse(run.status()).label() + ")"));
        ctx.status(HttpStatus.ACCEPTED).json(new Bodies.Queued(run.id(), cancelled.label()));
    }

    private RunRow existing(Context ctx) {
        long id = Requests.id(ctx);
        return store.run(id).orElseThrow(() -> new NotFoundResponse("no run " + id));
    }

    /** {@link #metric} with the further objectives of a metric list. */
    private Spec.Metric withObjectives(RunRow run) {
        Spec.Metric metric = metric(run);
        return metric == null ? null : RunMetrics.withObjectives(run, store, env).orElse(metric);
    }

    /** The metric the run is judged by; none while it is queued or once superseded. */
    private Spec.Metric metric(RunRow run) {
        if (run.status() == RunStatus.QUEUED || run.status() == RunStatus.SUPERSEDED) {
            return null;
        }
        return RunMetrics.of(run, store, env).orElse(null);
    }
}
