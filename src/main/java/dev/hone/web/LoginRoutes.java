package dev.hone.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hone.server.Access;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.http.UnsupportedMediaTypeResponse;
import java.io.IOException;
import java.util.Locale;

/**
 * Signing the dashboard in and out: {@code POST /login} with {@code {"token": "…"}} as JSON (a form of another site
 * cannot send JSON, so it cannot sign a browser in either), {@code POST /logout}, and {@code GET /session} that says
 * whether reads need a token and who is signed in. The page itself is the dashboard's, at {@code /login}.
 */
final class LoginRoutes {

    private final Gate gate;

    LoginRoutes(Gate gate) {
        this.gate = gate;
    }

    void register(RoutesConfig routes) {
        routes.post("/login", this::signIn);
        routes.post("/logout", ctx -> {
            gate.signOut(ctx);
            ctx.json(new Bodies.Session(gate.reads().label(), false, null, null));
        });
        routes.get("/session", ctx -> ctx.header("Cache-Control", "no-store").json(gate.session(ctx)
                .map(g -> new Bodies.Session(gate.reads().label(), true, g.name(), g.scope().label()))
                .orElse(new Bodies.Session(gate.reads().label(), false, null, null))));
    }

    private void signIn(Context ctx) {
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new UnsupportedMediaTypeResponse("send the token as JSON: {\"token\": \"<token>\"} with "
                    + "Content-Type: application/json");
        }
        JsonNode token;
        try {
            token = Json.MAPPER.readTree(Requests.body(ctx)).path("token");
        } catch (IOException e) {
            throw new BadRequestResponse("the body is not JSON: send {\"token\": \"<token>\"}");
        }
        if (!token.isTextual() || token.asText().isBlank()) {
            throw new BadRequestResponse("no token in the body: send {\"token\": \"<token>\"}");
        }
        Access.Grant grant = gate.signIn(ctx, token.asText().strip()).orElseThrow(() -> new UnauthorizedResponse(
                "that is not a token of this server: use the API token or one made with hone token create"));
        ctx.header("Cache-Control", "no-store")
                .json(new Bodies.Session(gate.reads().label(), true, grant.name(), grant.scope().label()));
    }
}
