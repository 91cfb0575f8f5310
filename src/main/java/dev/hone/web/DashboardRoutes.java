package dev.hone.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The dashboard: one page ({@code index.html}, its scripts and {@code style.css} from this package's resources)
 * served at every address it renders — {@code /}, {@code /projects/{name}}, {@code /runs} and {@code /runs/{id}},
 * the link notifications carry — that reads the API in the browser. {@code app.js} routes and holds the helpers the
 * pages share; each page has its script ({@code run.js}, {@code project.js}). Its charts use uPlot, served from the
 * uPlot webjar in the jar at {@code /assets/uplot/…}. It loads nothing from elsewhere; the
 * Content-Security-Policy holds it to that. When reads need a token, a browser that has not signed in is sent to
 * {@code /login} (the same page, which asks for one) and back to where it was going.
 */
final class DashboardRoutes {

    private static final List<String> PAGES = List.of("/", "/projects/{name}", "/runs", "/runs/{id}", "/compare");
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final List<String> SCRIPTS = List.of("app.js", "project.js", "charts.js", "run.js", "history.js",
            "rerun.js", "compare.js");
    private static final String UPLOT = "/META-INF/resources/webjars/uplot/1.6.30/dist/";

    private final byte[] page = resource("index.html");
    private final Map<String, byte[]> scripts = SCRIPTS.stream()
            .collect(Collectors.toUnmodifiableMap(name -> name, DashboardRoutes::resource));
    private final byte[] style = resource("style.css");
    private final byte[] uplotScript = resource(UPLOT + "uPlot.iife.min.js");
    private final byte[] uplotStyle = resource(UPLOT + "uPlot.min.css");
    private final Gate gate;

    DashboardRoutes(Gate gate) {
        this.gate = gate;
    }

    void register(RoutesConfig routes) {
        for (String path : PAGES) {
            routes.get(path, ctx -> {
                if (gate.mayRead(ctx)) {
                    serve(ctx, "text/html; charset=utf-8", page);
                } else {
                    String here = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
                    ctx.redirect("/login?next=" + URLEncoder.encode(here, StandardCharsets.UTF_8),
                            HttpStatus.SEE_OTHER);
                }
            });
        }
        routes.get("/login", ctx -> serve(ctx, "text/html; charset=utf-8", page));
        scripts.forEach((name, script) ->
                routes.get("/" + name, ctx -> serve(ctx, "text/javascript; charset=utf-8", script)));
        routes.get("/style.css", ctx -> serve(ctx, "text/css; charset=utf-8", style));
        routes.get("/assets/uplot/uPlot.iife.min.js", ctx -> serve(ctx, "text/javascript; charset=utf-8", uplotScript));
        routes.get("/assets/uplot/uPlot.min.css", ctx -> serve(ctx, "text/css; charset=utf-8", uplotStyle));
    }

    private static void serve(Context ctx, String type, byte[] body) {
        ctx.header("Content-Security-Policy", POLICY).header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "no-cache").contentType(type).result(body);
    }

    private static byte[] resource(String name) {
        try (InputStream in = DashboardRoutes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard's " + name + " is missing from the jar (it belongs in "
                        + (name.startsWith("/") ? "the uPlot webjar, a dependency in pom.xml"
                        : "src/main/resources/dev/hone/web/") + "): rebuild Hone");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dashboard's " + name + " from the jar", e);
        }
    }
}
