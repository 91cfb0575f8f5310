package dev.hone.web;

import dev.hone.server.Server;
import dev.hone.store.RunRow;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
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
 * A run's page adds {@code &trial=N} (and {@code &tail=K}) for the trial it shows: while the run is live the same
 * stream carries that trial's log ({@link LogStreams}) — {@code log_open}, its last K lines and each new one as a
 * {@code log} event, then {@code log_end} with the trial's or the run's end in words. When the token it was opened with
 * is revoked (or its session ends), it ends with {@code signed_out}.
 */
final class EventRoutes {

    private static final long KEEP_ALIVE_SECONDS = 15;
    /** How long the log's reader waits for the page to make room before the page is told to load again. */
    private static final Duration LOG_ROOM = Duration.ofSeconds(10);
    private static final byte[] LOG_EVENT = "event: log\n".getBytes(StandardCharsets.UTF_8);

    private final Server server;
    private final PageEvents events;
    private final LogStreams logs;
    private final Gate gate;

    EventRoutes(Server server, PageEvents events, LogStreams logs, Gate gate) {
        this.server = server;
        this.events = events;
        this.logs = logs;
        this.gate = gate;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/events", this::stream);
    }

    private void stream(Context ctx) throws IOException, InterruptedException {
        String project = ctx.queryParam("project");
        RunRow run = null;
        if (ctx.queryParam("run") != null) {
            String text = ctx.queryParam("run");
            long id;
            try {
                id = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new NotFoundResponse("no run " + text + ": run ids are numbers");
            }
            run = server.store().run(id).orElseThrow(() -> new NotFoundResponse("no run " + id));
        }
        Integer trial = trial(ctx, run);
        Integer tail = LogRoutes.tail(ctx);
        PageEvents.Subscription subscription;
        try {
            subscription = events.subscribe(new PageEvents.Scope(run == null ? project : null,
                    run == null ? null : run.id()));
        } catch (PageEvents.TooManyStreams e) {
            ctx.header("Retry-After", "10");
            throw new HttpResponseException(429, e.getMessage(), Map.of());
        }
        Thread reader = null;
        try (subscription) {
            OutputStream out = Requests.eventStream(ctx, "event: ready\ndata: {}\n\n");
            if (trial != null && run.status().live()) {
                reader = readLog(run.id(), trial, tail == null ? Integer.MAX_VALUE : tail, subscription);
            }
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
        } finally {
            if (reader != null) {
                reader.interrupt();
            }
        }
    }

    /** {@code trial=N}: a trial of the run's page, or null when not asked. */
    private static Integer trial(Context ctx, RunRow run) {
        String text = ctx.queryParam("trial");
        if (text == null) {
            return null;
        }
        if (run == null || !text.matches("[1-9][0-9]{0,8}")) {
            throw new BadRequestResponse("trial=" + text + ": give a trial's number (from 1) with the run, as "
                    + "/api/events?run=ID&trial=N");
        }
        return Integer.parseInt(text);
    }

    /**
     * Reads the log of trial {@code trial} into {@code page} on a thread of its own, at the page's pace, until its
     * end (or until interrupted: the page left).
     */
    private Thread readLog(long runId, int trial, int backlog, PageEvents.Subscription page) {
        return Thread.ofVirtual().name("hone-page-log-" + runId + "-" + trial).start(() -> {
            try {
                try (LogStreams.Subscription log = logs.subscribe(runId, trial,
                        LogRoutes.logOf(server, runId, trial), backlog)) {
                    // after the subscription: what the log has from here on is new, not part of its last lines
                    page.put(PageEvents.frame("log_open", "{\"trial\":" + trial + "}"), LOG_ROOM);
                    while (true) {
                        for (LogStreams.Event event : log.next(Duration.ofSeconds(KEEP_ALIVE_SECONDS))) {
                            if (event.last()) {
                                if (event.ending() != null) {
                                    page.put(frame("log_end", event.ending()), LOG_ROOM);
                                }
                                return;
                            }
                            byte[] frame = new byte[LOG_EVENT.length + event.frame().length];
                            System.arraycopy(LOG_EVENT, 0, frame, 0, LOG_EVENT.length);
                            System.arraycopy(event.frame(), 0, frame, LOG_EVENT.length, event.frame().length);
                            page.put(frame, LOG_ROOM);
                        }
                    }
                }
            } catch (LogStreams.TooManyStreams | IOException e) {
                page.offer(frame("log_end", "The log cannot be followed now: " + e.getMessage()));
            } catch (InterruptedException e) {
                // the page left
            }
        });
    }

    private static byte[] frame(String event, String text) {
        return ("event: " + event + "\ndata: " + text + "\n\n").getBytes(StandardCharsets.UTF_8);
    }
}
