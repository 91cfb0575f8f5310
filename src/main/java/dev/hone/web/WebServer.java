package dev.hone.web;

import dev.hone.server.ServeException;
import dev.hone.server.Server;
import dev.hone.store.StoreException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.UnauthorizedResponse;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP edge of {@code hone serve} (Javalin on Jetty): the REST API of DESIGN §1, the webhook receivers,
 * {@code /health}, {@code /metrics} and the dashboard. Every answer is JSON (but {@code /metrics}, logs and the
 * dashboard), errors as {@code {"error": "…"}}. Write endpoints under {@code /api} need the bearer token; webhooks
 * their signatures.
 */
public final class WebServer {

    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    private final Javalin app;
    private final LogStreams logStreams;

    public WebServer(Server server, Map<String, String> env) {
        this(server, env, LogStreams.DEFAULT_MAX_STREAMS);
    }

    /** @param maxLogStreams live log streams open at once; past them, {@code 429} */
    public WebServer(Server server, Map<String, String> env, int maxLogStreams) {
        this.logStreams = new LogStreams(server.store(), maxLogStreams);
        server.metrics().gauge("hone.log.streams", "Live log streams open", logStreams::streams);
        server.metrics().gauge("hone.log.followed", "Trial logs followed for live streams (one per log)",
                logStreams::followed);
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.concurrency.useVirtualThreads = true;
            config.http.maxRequestSize = Requests.MAX_BODY;
            config.jsonMapper(new Json());
            config.routes.before("/api/*", ctx -> {
                if (!READS.contains(ctx.method().name()) && !server.token().accepts(ctx.header("Authorization"))) {
                    ctx.header("WWW-Authenticate", "Bearer");
                    throw new UnauthorizedResponse(ctx.header("Authorization") == null
                            ? "this endpoint needs the API token: send Authorization: Bearer <token>"
                            : "the bearer token is not the API token of this server");
                }
            });
            config.routes.get("/health", ctx -> ctx.json(Map.of("status", "ok")));
            config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(server.metrics().scrape()));
            new DashboardRoutes().register(config.routes);
            new RunRoutes(server, env).register(config.routes);
            new LogRoutes(server, logStreams).register(config.routes);
            new RepositoryRoutes(server).register(config.routes);
            new HookRoutes(server).register(config.routes);
            config.routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), e.getMessage()));
            config.routes.exception(ServeException.class, (e, ctx) -> error(ctx, switch (e.kind()) {
                case INVALID -> 400;
                case NOT_FOUND -> 404;
                case CONFLICT -> 409;
            }, e.getMessage()));
            config.routes.exception(StoreException.class, (e, ctx) -> {
                LOG.error("event=store_error path={} reason=\"{}\"", ctx.path(), e.getMessage());
                error(ctx, 503, e.getMessage());
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("event=internal_error path={} reason=\"{}\"", ctx.path(), e.toString(), e);
                error(ctx, 500, "internal error: " + e + " — this is a bug in Hone; please report it");
            });
            config.routes.error(405, ctx -> error(ctx, 405, ctx.method() + " is not allowed on " + ctx.path()));
        });
    }

    /** Listens on {@code host:port} (port 0: any free port, see {@link #port()}). */
    public WebServer start(String host, int port) {
        app.start(host, port);
        LOG.info("event=listening address={}:{}", host, app.port());
        return this;
    }

    public int port() {
        return app.port();
    }

    /** Stops accepting requests and ends log streams. */
    public void stop() {
        logStreams.close();
        app.stop();
    }

    private static void error(Context ctx, int status, String message) {
        ctx.status(HttpStatus.forStatus(status)).json(new Bodies.Error(message));
    }
}
