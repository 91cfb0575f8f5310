package dev.hone.web;

import dev.hone.server.Intake;
import dev.hone.server.Server;
import dev.hone.server.Watched;
import dev.hone.source.BadHookException;
import dev.hone.source.HookEvent;
import dev.hone.source.Webhooks;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.UnauthorizedResponse;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /hooks/github|gitlab|gitea|generic}: read the payload (413 past the limit, 400 when malformed), find
 * the repository it names (404), check its signature with that repository's secret (401), and queue the push
 * (202). Nothing here touches git: the answer comes as soon as the run is in the store.
 */
final class HookRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(HookRoutes.class);

    private final Server server;

    HookRoutes(Server server) {
        this.server = server;
    }

    void register(RoutesConfig routes) {
        for (Webhooks.Provider provider : Webhooks.Provider.values()) {
            routes.post("/hooks/" + provider.path(), ctx -> deliver(provider, ctx));
        }
    }

    private void deliver(Webhooks.Provider provider, Context ctx) {
        try {
            Bodies.HookAnswer answer = handle(provider, ctx);
            server.metrics().webhook(provider.path(), answer.status());
            ctx.status(answer.status().equals("pong") ? HttpStatus.OK : HttpStatus.ACCEPTED).json(answer);
        } catch (HttpResponseException e) {
            String outcome = switch (e.getStatus()) {
                case 401 -> "unauthorized";
                case 404 -> "unknown_repository";
                case 413 -> "too_large";
                default -> "bad_request";
            };
            server.metrics().webhook(provider.path(), outcome);
            LOG.warn("event=webhook_refused provider={} status={} reason=\"{}\"", provider.path(), e.getStatus(),
                    e.getMessage());
            throw e;
        }
    }

    private Bodies.HookAnswer handle(Webhooks.Provider provider, Context ctx) {
        byte[] body = Requests.body(ctx);
        HookEvent event;
        try {
            event = Webhooks.parse(provider, ctx::header, body);
        } catch (BadHookException e) {
            throw new BadRequestResponse(e.getMessage());
        }
        Optional<Watched> found = server.watchlist().find(event.repositoryUrls());
        Watched repository = found.orElseThrow(() -> new NotFoundResponse("no watched repository has any of the "
                + "URLs " + event.repositoryUrls().stream().map(dev.hone.source.GitUrls::mask).toList()
                + ": add it to hone-server.yaml or with hone repo add"));
        if (repository.webhookSecret() == null) {
            throw new UnauthorizedResponse(repository.source() + " has no webhook secret, so its webhooks cannot be "
                    + "verified: set webhook_secret in hone-server.yaml (or --webhook-secret-env with hone repo add)");
        }
        if (!Webhooks.verify(provider, ctx::header, body, repository.webhookSecret())) {
            throw new UnauthorizedResponse("the delivery's signature does not match the webhook secret of "
                    + repository.source() + " (" + signatureHeader(provider) + ")");
        }
        return switch (event) {
            case HookEvent.Ping ping -> new Bodies.HookAnswer("pong", null, null);
            case HookEvent.Other other -> new Bodies.HookAnswer("ignored", null,
                    "a " + other.event() + " event is not a push");
            case HookEvent.PushEvent push -> {
                Intake.Outcome outcome = server.intake().push(repository, push.push(), "webhook:" + provider.path());
                yield outcome.runId().map(id -> new Bodies.HookAnswer("queued", id, null))
                        .orElseGet(() -> new Bodies.HookAnswer("ignored", null, outcome.ignored()));
            }
        };
    }

    private static String signatureHeader(Webhooks.Provider provider) {
        return switch (provider) {
            case GITHUB -> "X-Hub-Signature-256: sha256=<HMAC-SHA256 of the body>";
            case GITEA -> "X-Gitea-Signature: <HMAC-SHA256 of the body>";
            case GITLAB -> "X-Gitlab-Token: <the secret>";
            case GENERIC -> "X-Hone-Signature-256: sha256=<HMAC-SHA256 of the body>";
        };
    }
}
