package dev.hone.web;

import dev.hone.error.EnvironmentException;
import dev.hone.error.HoneException;
import dev.hone.server.ServeException;
import dev.hone.server.Server;
import dev.hone.store.StoreException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.util.JavalinBindException;
import java.net.BindException;
import java.nio.channels.UnresolvedAddressException;
import java.time.InstantSource;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP edge of {@code hone serve} (Javalin on Jetty): the REST API of DESIGN §1, the webhook receivers,
 * {@code /health}, {@code /metrics} and the dashboard. Every answer is JSON (but {@code /metrics}, logs and the
 * dashboard), errors as {@code {"error": "…"}}. Write endpoints under {@code /api} need a write token; reads, with
 * {@code read_access: token}, a token or a dashboard session ({@link Gate}); webhooks their signatures.
 */
public final class WebServer {

    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    private final Javalin app;
    private final LogStreams logStreams;
    private final PageEvents pageEvents;

    /** @param clock the time dashboard sessions expire by */
    public WebServer(Server server, Map<String, String> env, InstantSource clock) {
        this(server, env, clock, LogStreams.DEFAULT_MAX_STREAMS);
    }

    /** @param maxLogStreams live log streams open at once; past them, {@code 429} */
    public WebServer(Server server, Map<String, String> env, InstantSource clock, int maxLogStreams) {
        this.logStreams = new LogStreams(server.store(), maxLogStreams);
        server.metrics().gauge("hone.log.streams", "Live log streams open", logStreams::streams);
        server.metrics().gauge("hone.log.followed", "Trial logs followed for live streams (one per log)",
                logStreams::followed);
        this.pageEvents = new PageEvents(server.store(), PageEvents.DEFAULT_MAX_STREAMS);
        server.metrics().gauge("hone.page.streams", "Live dashboard pages open (event streams)", pageEvents::streams);
        Gate gate = new Gate(server.access(), new Sessions(clock));
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.concurrency.useVirtualThreads = true;
            config.http.maxRequestSize = Requests.MAX_BODY;
            config.jsonMapper(new Json());
            config.routes.before("/api/*", ctx -> {
                if (READS.contains(ctx.method().name())) {
                    gate.requireRead(ctx);
                } else {
                    gate.requireWrite(ctx);
                }
            });
            config.routes.get("/health", ctx -> ctx.json(Map.of("status", "ok")));
            config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(server.metrics().scrape()));
            new DashboardRoutes(gate).register(config.routes);
            new LoginRoutes(gate).register(config.routes);
            RerunRoutes reruns = new RerunRoutes(server, env);
            reruns.register(config.routes);
            new RunRoutes(server, env, reruns).register(config.routes);
            new TrialRoutes(server).register(config.routes);
            new LogRoutes(server, logStreams).register(config.routes);
            new ProjectRoutes(server).register(config.routes);
            new EventRoutes(server, pageEvents, logStreams, gate).register(config.routes);
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

    /**
     * Listens on {@code host:port} (port 0: any free port, see {@link #port()}).
     *
     * @throws HoneException when the address is taken or not this machine's (what to choose instead);
     *                       {@link EnvironmentException} when the machine refuses for another reason
     */
    public WebServer start(String host, int port) {
        try {
            app.start(host, port);
        } catch (JavalinBindException e) {
            throw unavailable(host, port, e);
        }
        LOG.info("event=listening address={}:{}", host, app.port());
        return this;
    }

    /** Why Jetty could not bind (Javalin calls every failure "Port already in use"), and what to do. */
    private static HoneException unavailable(String host, int port, JavalinBindException e) {
        String address = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException) {
                return new HoneException(address + ": this machine does not know the host " + host
                        + "; give one of its IP addresses (127.0.0.1, or 0.0.0.0 for every interface) with --listen");
            }
            if (t instanceof BindException bind) {
                String reason = String.valueOf(bind.getMessage());
                if (reason.contains("already in use")) {
                    return new HoneException(address + " is already in use (by another hone serve?); choose another "
                            + "with --listen");
                }
                if (reason.contains("Cannot assign requested address")) {
                    return new HoneException(address + ": no network interface of this machine has the address "
                            + host + "; give one it has (127.0.0.1, or 0.0.0.0 for every interface) with --listen");
                }
                if (reason.contains("Permission denied")) {
                    return new HoneException(address + ": permission denied (ports below 1024 need root or "
                            + "CAP_NET_BIND_SERVICE); choose a port above 1023 with --listen");
                }
                return new EnvironmentException("cannot listen on " + address + ": " + reason
                        + "; choose another address with --listen");
            }
        }
        return new EnvironmentException("cannot listen on " + address + ": " + e.getMessage()
                + "; choose another address with --listen");
    }

    public int port() {
        return app.port();
    }

    /** Stops accepting requests and ends log streams. */
    public void stop() {
        logStreams.close();
        pageEvents.close();
        app.stop();
    }

    private static void error(Context ctx, int status, String message) {
        ctx.status(HttpStatus.forStatus(status)).json(new Bodies.Error(message));
    }
}
