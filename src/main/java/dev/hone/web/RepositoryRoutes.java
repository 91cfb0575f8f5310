package dev.hone.web;

import dev.hone.server.Intervals;
import dev.hone.server.RepositoryStatus;
import dev.hone.server.Server;
import dev.hone.server.Watched;
import dev.hone.store.Installation;
import dev.hone.store.RepositoryRow;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** {@code /api/repositories}: what the server watches; added ones can be added and removed here too. */
final class RepositoryRoutes {

    private final Server server;
    private final Installation installation;

    RepositoryRoutes(Server server) {
        this.server = server;
        this.installation = server.store().installation();
    }

    void register(RoutesConfig routes) {
        routes.get("/api/repositories", ctx -> ctx.json(server.watchlist().all().stream().map(this::item).toList()));
        routes.post("/api/repositories", this::add);
        routes.delete("/api/repositories/{id}", this::remove);
    }

    private void add(Context ctx) {
        Bodies.RepositoryRequest r = Json.read(Requests.body(ctx), Bodies.RepositoryRequest.class);
        Duration poll = r.poll() == null ? Duration.ofSeconds(60) : Intervals.parse(r.poll()).orElseThrow(() ->
                new BadRequestResponse("poll must be a duration such as 60s, 5m or 0 (webhooks only), got \""
                        + r.poll() + "\""));
        Watched added = server.watchlist().add(new RepositoryRow(0, r.url(),
                r.branches() == null ? List.of("main") : r.branches(), poll, r.webhookSecretEnv(), r.usernameEnv(),
                r.passwordEnv(), path(r.sshKeyFile()), r.passphraseEnv(), path(r.knownHosts()), path(r.caCert()),
                null));
        ctx.status(HttpStatus.CREATED).header("Location", "/api/repositories/" + added.id()).json(item(added));
    }

    private void remove(Context ctx) {
        String id = ctx.pathParam("id");
        Watched repository = server.watchlist().all().stream()
                .filter(w -> w.id() != null && w.id().toString().equals(id)).findFirst()
                .orElseThrow(() -> new NotFoundResponse("no added repository has the id " + id
                        + " (repositories of hone-server.yaml have none: remove them there)"));
        server.watchlist().remove(repository.url());
        ctx.status(HttpStatus.NO_CONTENT);
    }

    private Bodies.RepositoryItem item(Watched w) {
        RepositoryStatus status = server.watchlist().status(w);
        return new Bodies.RepositoryItem(w.id(), w.source(), w.branches(), Intervals.format(w.poll()),
                w.configured(), w.webhookSecret() != null,
                installation.lastSeen(w.source()).orElse(Map.of()),
                installation.repositoryEvents(w.source(), 5).stream().map(Bodies.EventItem::of).toList(),
                status.state().label(), status.problem());
    }

    private static Path path(String text) {
        try {
            return text == null || text.isBlank() ? null : Path.of(text);
        } catch (InvalidPathException e) {
            throw new BadRequestResponse("not a path: \"" + text + "\"");
        }
    }
}
