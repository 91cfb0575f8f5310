package dev.hone.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hone.pipeline.Rerun;
import dev.hone.run.RunStatus;
import dev.hone.server.Server;
import dev.hone.server.Watched;
import dev.hone.spec.InvalidSpecException;
import dev.hone.spec.Spec;
import dev.hone.spec.SpecLoader;
import dev.hone.store.RunRow;
import dev.hone.store.Store;
import dev.hone.tune.CategoricalParam;
import dev.hone.tune.FloatParam;
import dev.hone.tune.IntParam;
import dev.hone.tune.Param;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.ConflictResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /api/runs/{id}/rerun {"set": {NAME: VALUE, …}}}: run {@code id}'s commit made again, with the same
 * parameters or with some changed ({@link Rerun}: a value fixed, a new range, new choices; a re-run's own changes
 * kept), each change checked against that run's hone.yaml before the run is queued; and what a run's page shows of it: the search space that may
 * be changed ({@code search_space}) and what a re-run changed ({@code rerun}).
 */
final class RerunRoutes {

    /** {@code {"set": {"lr": 0.01}}}; no {@code set}: the same parameters. */
    record RerunRequest(JsonNode set) {}

    private final Server server;
    private final Store store;
    private final Map<String, String> env;

    RerunRoutes(Server server, Map<String, String> env) {
        this.server = server;
        this.store = server.store();
        this.env = env;
    }

    void register(RoutesConfig routes) {
        routes.post("/api/runs/{id}/rerun", this::rerun);
    }

    private void rerun(Context ctx) {
        long id = Requests.id(ctx);
        RunRow of = store.run(id).orElseThrow(() -> new NotFoundResponse("no run " + id));
        RerunRequest request = Json.read(Requests.body(ctx), RerunRequest.class);
        Rerun asked;
        try {
            asked = Rerun.of(id, request.set());
        } catch (IllegalArgumentException e) {
            throw new BadRequestResponse("re-run of run " + id + ": " + e.getMessage());
        }
        // a re-run of a re-run keeps what that one changed
        Rerun rerun = store.rerun(id).map(Rerun::read).map(earlier -> earlier.then(asked)).orElse(asked);
        Spec spec = spec(of).orElseThrow(() -> new ConflictResponse(of.status() == RunStatus.QUEUED
                ? "run " + id + " has not started yet, so its hone.yaml is not read: re-run it once it has started"
                : "run " + id + "'s hone.yaml no longer loads here (a variable it names is not set, say): push a "
                        + "commit that loads, or run the branch"));
        try {
            rerun.apply(spec);
        } catch (InvalidSpecException e) {
            throw new BadRequestResponse(e.getMessage());
        }
        Watched repository = server.watchlist().bySource(of.source()).orElseThrow(() -> new ConflictResponse(
                "run " + id + "'s repository " + of.source() + " is no longer watched: add it again (hone repo add "
                        + "URL) to re-run its commits"));
        long queued = server.intake().rerun(repository, of, rerun.json());
        ctx.status(HttpStatus.ACCEPTED).header("Location", "/api/runs/" + queued)
                .json(new Bodies.Queued(queued, RunStatus.QUEUED.label()));
    }

    /**
     * Adds to a run's body what its page needs for re-runs: {@code rerun} ({@code of}, {@code set} and its
     * {@code text}, or null) and {@code search_space} (its hone.yaml's parameters; empty while unknown).
     */
    void describe(RunRow run, ObjectNode body) {
        Optional<Rerun> rerun = store.rerun(run.id()).map(Rerun::read);
        if (rerun.isPresent()) {
            ObjectNode made = (ObjectNode) readTree(rerun.get().json());
            made.put("text", rerun.get().text());
            body.set("rerun", made);
        } else {
            body.putNull("rerun");
        }
        ArrayNode space = body.putArray("search_space");
        spec(run).ifPresent(spec -> spec.tune().params().forEach(p -> space.add(param(p))));
    }

    private Optional<Spec> spec(RunRow run) {
        return run.status() == RunStatus.QUEUED ? Optional.empty()
                : SpecLoader.snapshot(run.specYaml(), run.project(), env);
    }

    private static ObjectNode param(Param p) {
        ObjectNode node = Json.MAPPER.createObjectNode().put("name", p.name());
        switch (p) {
            case FloatParam f -> node.put("type", "float").put("min", f.min()).put("max", f.max()).put("log", f.log());
            case IntParam i -> node.put("type", "int").put("min", i.min()).put("max", i.max()).put("log", i.log());
            case CategoricalParam c -> node.put("type", "categorical").set("choices",
                    Json.MAPPER.valueToTree(c.choices()));
        }
        return node;
    }

    private static JsonNode readTree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the stored re-run is not JSON: " + json, e);
        }
    }
}
