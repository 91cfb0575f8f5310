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

/**
 * The dashboard: one page ({@code index.html}, {@code app.js}, {@code style.css} from this package's resources)
 * served at every address it renders — {@code /}, {@code /projects/{name}}, {@code /runs} and {@code /runs/{id}},
 * the link notifications carry — that reads the API in the browser. It loads nothing from elsewhere; the
 * Content-Security-Policy holds it to that. When reads need a token, a browser that has not signed in is sent to
 * {@code /login} (the same page, which asks for one) and back to where it was going.
 */
final class DashboardRoutes {

    private static final List<String> PAGES = List.of("/", "/projects/{name}", "/runs", "/runs/{id}");
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final byte[] page = resource("index.html");
    private final byte[] script = resource("app.js");
    private final byte[] style = resource("style.css");
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
        routes.get("/app.js", ctx -> serve(ctx, "text/javascript; charset=utf-8", script));
        routes.get("/style.css", ctx -> serve(ctx, "text/css; charset=utf-8", style));
    }

    private static void serve(Context ctx, String type, byte[] body) {
        ctx.header("Content-Security-Policy", POLICY).header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "no-cache").contentType(type).result(body);
    }

    private static byte[] resource(String name) {
        try (InputStream in = DashboardRoutes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard's " + name + " is missing from the jar (it belongs in "
                        + "src/main/resources/dev/hone/web/): rebuild Hone");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dashboard's " + name + " from the jar", e);
        }
    }
}
