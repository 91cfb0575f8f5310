package dev.hone.web;

import dev.hone.store.Store;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * {@code GET /api/events}: one server-sent event stream per dashboard page, of what changes under it
 * ({@link PageEvents}): {@code ?run=ID} for a run's page, {@code ?project=NAME} for a project's, nothing for every
 * project's. It opens with {@code ready}; a comment every {@value #KEEP_ALIVE_SECONDS} s keeps proxies from closing it.
 * When the token it was opened with is revoked (or its session ends), it ends with {@code signed_out}.
 */
final class EventRoutes {

    private static final long KEEP_ALIVE_SECONDS = 15;

    private final Store store;
    private final PageEvents events;
    private final Gate gate;

    EventRoutes(Store store, PageEvents events, Gate gate) {
        this.store = store;
        this.events = events;
        this.gate = gate;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/events", this::stream);
    }

    private void stream(Context ctx) throws IOException, InterruptedException {
        String project = ctx.queryParam("project");
        Long run = null;
        if (ctx.queryParam("run") != null) {
            String text = ctx.queryParam("run");
            try {
                run = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new NotFoundResponse("no run " + text + ": run ids are numbers");
            }
            long id = run;
            store.run(id).orElseThrow(() -> new NotFoundResponse("no run " + id));
        }
        PageEvents.Subscription subscription;
        try {
            subscription = events.subscribe(new PageEvents.Scope(run == null ? project : null, run));
        } catch (PageEvents.TooManyStreams e) {
            ctx.header("Retry-After", "10");
            throw new HttpResponseException(429, e.getMessage(), Map.of());
        }
        try (subscription) {
            OutputStream out = Requests.eventStream(ctx, "event: ready\ndata: {}\n\n");
            long quiet = 0;
            while (true) {
                byte[] frame = subscription.poll(Duration.ofSeconds(1));
                if (!gate.stillReads(ctx)) {
                    out.write("event: signed_out\ndata: {}\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    return;
                }
                if (frame == null && ++quiet < KEEP_ALIVE_SECONDS) {
                    continue;
                }
                quiet = 0;
                if (frame == null) {
                    out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                } else if (frame.length == 0) {
                    return;
                } else {
                    out.write(frame);
                }
                out.flush();
            }
        }
    }
}
