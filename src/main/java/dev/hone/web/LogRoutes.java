package dev.hone.web;

import dev.hone.logs.LogReads;
import dev.hone.run.RunStatus;
import dev.hone.server.Server;
import dev.hone.store.RunRow;
import dev.hone.store.TrialRow;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /api/runs/{id}/logs?trial=N}: a trial's {@code train.log}. While the run is queued or running the log
 * streams as server-sent events ({@link LogStreams}) — its recent lines, then one {@code data:} event per line as it
 * is written, then an {@code end} event with the run's status; once the run has ended it is the file as text, read
 * from disk as it is sent. {@code tail=N}: only the last N lines (of the text; of the recent lines a stream starts
 * with). A {@code Range: bytes=…} header gets that part of the file as it is (206), live or not; {@code tail=} wins
 * over it.
 */
final class LogRoutes {

    private static final Duration KEEP_ALIVE = Duration.ofSeconds(10);
    private static final Pattern RANGE = Pattern.compile("bytes=([0-9]{0,18})-([0-9]{0,18})");
    private static final int MAX_TAIL = 1_000_000;

    private final Server server;
    private final LogStreams streams;

    LogRoutes(Server server, LogStreams streams) {
        this.server = server;
        this.streams = streams;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/runs/{id}/logs", this::logs);
    }

    private void logs(Context ctx) throws IOException, InterruptedException {
        long id = Requests.id(ctx);
        RunRow run = server.store().run(id).orElseThrow(() -> new NotFoundResponse("no run " + id));
        String trialText = ctx.queryParam("trial");
        if (trialText == null || !trialText.matches("[1-9][0-9]{0,8}")) {
            throw new BadRequestResponse("give the trial: /api/runs/" + id + "/logs?trial=N (trials are numbered "
                    + "from 1)");
        }
        int trial = Integer.parseInt(trialText);
        Integer tail = tail(ctx);
        Path log = logOf(server, id, trial);
        String range = ctx.header("Range");
        if (run.status().live() && range == null) {
            stream(ctx, id, trial, log, tail == null ? Integer.MAX_VALUE : tail);
            return;
        }
        if (!Files.isRegularFile(log)) {
            throw new NotFoundResponse("run " + id + " has no log of trial " + trial + " (it had "
                    + run.trialCount() + " trials)");
        }
        text(ctx, log, tail, range);
    }

    /** Where the log of trial {@code trial} of run {@code id} is (or will be). */
    static Path logOf(Server server, long id, int trial) {
        return server.store().trials(id, 1, trial - 1).stream().filter(t -> t.trial().number() == trial)
                .map(TrialRow::logPath).filter(p -> p != null).map(Path::of).findFirst()
                .orElse(server.dataDir().run(id).trial(trial).log());
    }

    /** The file, a range of it, or its last lines; never held whole in memory. */
    private static void text(Context ctx, Path log, Integer tail, String range) throws IOException {
        long size = Files.size(log);
        long from = 0;
        long length = size;
        ctx.header("Accept-Ranges", "bytes");
        Matcher m = range == null || tail != null ? null : RANGE.matcher(range.strip());
        if (tail != null) {
            from = LogReads.lastLinesStart(log, tail);
            length = size - from;
            ctx.status(200);
        } else if (m != null && m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
            if (m.group(1).isEmpty()) {
                from = Math.max(0, size - Long.parseLong(m.group(2)));
            } else {
                from = Long.parseLong(m.group(1));
            }
            long last = m.group(1).isEmpty() || m.group(2).isEmpty() ? size - 1
                    : Math.min(size - 1, Long.parseLong(m.group(2)));
            if (from >= size || last < from) {
                ctx.header("Content-Range", "bytes */" + size);
                throw new HttpResponseException(416, "the log has " + size + " bytes: the range " + range
                        + " is not in it", Map.of());
            }
            length = last - from + 1;
            ctx.status(206).header("Content-Range", "bytes " + from + "-" + last + "/" + size);
        }
        ctx.contentType("text/plain; charset=utf-8");
        ctx.res().setContentLengthLong(length);
        try (OutputStream out = ctx.res().getOutputStream()) {
            LogReads.copy(log, from, length, out);
        }
    }

    private void stream(Context ctx, long id, int trial, Path log, int backlog) throws IOException, InterruptedException {
        LogStreams.Subscription subscription;
        try {
            subscription = streams.subscribe(id, trial, log, backlog);
        } catch (LogStreams.TooManyStreams e) {
            ctx.header("Retry-After", "10");
            throw new HttpResponseException(429, e.getMessage(), Map.of());
        }
        try (subscription) {
            OutputStream out = Requests.eventStream(ctx, ": streaming the log as the trial writes it\n\n");
            while (true) {
                List<LogStreams.Event> events = subscription.next(KEEP_ALIVE);
                if (events.isEmpty()) {
                    out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                }
                for (LogStreams.Event event : events) {
                    out.write(event.frame());
                    if (event.last()) {
                        out.flush();
                        return;
                    }
                }
                out.flush();
            }
        }
    }

    /** {@code tail=N}, or null when not asked. */
    static Integer tail(Context ctx) {
        if (ctx.queryParam("tail") == null) {
            return null;
        }
        int tail = Requests.number(ctx, "tail", 0);
        if (tail < 1 || tail > MAX_TAIL) {
            throw new BadRequestResponse("tail must be between 1 and " + MAX_TAIL + " lines, got " + tail);
        }
        return tail;
    }
}
