package dev.hone.web;

import dev.hone.run.RunStatus;
import dev.hone.server.Intake;
import dev.hone.server.Server;
import dev.hone.server.Watched;
import dev.hone.source.BadHookException;
import dev.hone.source.GitUrls;
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
 * the repository it names, check its signature with that repository's secret (401), and queue the push (202). When
 * it names no watched repository, the delivery must still be signed with the webhook secret of one of them before
 * the answer says so (404). Every 401 reads the same, so an unverified caller learns nothing about the watch list;
 * the log has the reason.
 * Nothing here touches git: the answer comes as soon as the run is in the store.
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
        if (found.isEmpty()) {
            throw unknown(provider, ctx, body, event);
        }
        Watched repository = found.get();
        if (repository.webhookSecret() == null) {
            throw unverified(provider, repository.source() + " has no webhook secret, so its webhooks cannot be "
                    + "verified: set webhook_secret in hone-server.yaml (or --webhook-secret-env with hone repo add)");
        }
        if (!Webhooks.verify(provider, ctx::header, body, repository.webhookSecret())) {
            throw unverified(provider, "the delivery's signature does not match the webhook secret of "
                    + repository.source());
        }
        return switch (event) {
            case HookEvent.Ping ping -> new Bodies.HookAnswer("pong", null, null);
            case HookEvent.Other other -> new Bodies.HookAnswer("ignored", null,
                    "a " + other.event() + " event is not a push");
            case HookEvent.PullRequest pull -> {
                Intake.Outcome outcome = server.intake().pullRequest(repository, pull, "webhook:" + provider.path());
                yield outcome.runId().map(id -> new Bodies.HookAnswer(RunStatus.QUEUED.label(), id, null))
                        .orElseGet(() -> new Bodies.HookAnswer("ignored", null, outcome.ignored()));
            }
            case HookEvent.PushEvent push -> {
                Intake.Outcome outcome = server.intake().push(repository, push.push(), "webhook:" + provider.path());
                yield outcome.runId().map(id -> new Bodies.HookAnswer(RunStatus.QUEUED.label(), id, null))
                        .orElseGet(() -> new Bodies.HookAnswer("ignored", null, outcome.ignored()));
            }
        };
    }

    /**
     * The answer to a delivery for no watched repository: the helpful 404 only to a caller that signed it with the
     * webhook secret of some watched repository, so that an unsigned caller cannot probe the watch list.
     */
    private HttpResponseException unknown(Webhooks.Provider provider, Context ctx, byte[] body, HookEvent event) {
        boolean signed = server.watchlist().all().stream().map(Watched::webhookSecret)
                .anyMatch(secret -> secret != null && Webhooks.verify(provider, ctx::header, body, secret));
        if (!signed) {
            return unverified(provider, "no watched repository has any of the URLs "
                    + event.repositoryUrls().stream().map(GitUrls::mask).toList()
                    + ", and the delivery is not signed with any watched repository's webhook secret");
        }
        return new NotFoundResponse("no watched repository has any of the URLs "
                + event.repositoryUrls().stream().map(GitUrls::mask).toList()
                + ": add it to hone-server.yaml or with hone repo add");
    }

    /**
     * A 401 that reads the same whatever the reason, so that its answer tells an unverified caller nothing about
     * the watch list; the reason goes to the log, for the administrator.
     */
    private static UnauthorizedResponse unverified(Webhooks.Provider provider, String reason) {
        LOG.warn("event=webhook_unverified provider={} reason=\"{}\"", provider.path(), reason);
        return new UnauthorizedResponse("the delivery is not signed with the webhook secret Hone holds for the "
                + "repository it names (" + signatureHeader(provider) + "): check that the webhook's secret is that "
                + "repository's webhook_secret in hone-server.yaml; hone serve's log says more");
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
