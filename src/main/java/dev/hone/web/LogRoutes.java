package dev.hone.web;

import dev.hone.server.Server;
import dev.hone.store.RunQueue;
import dev.hone.store.RunRow;
import dev.hone.store.TrialRow;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /api/runs/{id}/logs?trial=N}: a trial's {@code train.log}. While the run is queued or running the log
 * streams as server-sent events — one {@code data:} event per line as it is written, then an {@code end} event with
 * the run's status; once the run has ended it is the whole file as text.
 */
final class LogRoutes {

    private static final long POLL_MS = 100;
    private static final long KEEP_ALIVE_MS = 10_000;

    private final Server server;
    private final BooleanSupplier closing;

    LogRoutes(Server server, BooleanSupplier closing) {
        this.server = server;
        this.closing = closing;
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
        Path log = server.store().trials(id).stream().filter(t -> t.trial().number() == trial)
                .map(TrialRow::logPath).filter(p -> p != null).map(Path::of).findFirst()
                .orElse(server.dataDir().run(id).trial(trial).log());
        if (!live(run.status())) {
            if (!Files.isRegularFile(log)) {
                throw new NotFoundResponse("run " + id + " has no log of trial " + trial + " (it had "
                        + run.trialCount() + " trials)");
            }
            ctx.contentType("text/plain; charset=utf-8").result(Files.readAllBytes(log));
            return;
        }
        stream(ctx, id, log);
    }

    private void stream(Context ctx, long id, Path log) throws IOException, InterruptedException {
        ctx.res().setStatus(200);
        ctx.res().setContentType("text/event-stream;charset=utf-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        OutputStream out = ctx.res().getOutputStream();
        out.write(": streaming the log as the trial writes it\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        long position = 0;
        StringBuilder partial = new StringBuilder();
        long quietSince = System.currentTimeMillis();
        while (!closing.getAsBoolean()) {
            String status = server.store().run(id).map(RunRow::status).orElse("unknown");
            boolean ended = !live(status);
            if (Files.isRegularFile(log)) {
                try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
                    if (file.length() > position) {
                        byte[] bytes = new byte[(int) Math.min(file.length() - position, 1 << 20)];
                        file.seek(position);
                        file.readFully(bytes);
                        position += bytes.length;
                        partial.append(new String(bytes, StandardCharsets.UTF_8));
                        quietSince = System.currentTimeMillis();
                        int newline;
                        while ((newline = partial.indexOf("\n")) >= 0) {
                            event(out, null, partial.substring(0, newline).replace("\r", ""));
                            partial.delete(0, newline + 1);
                        }
                        continue;
                    }
                }
            }
            if (ended) {
                if (!partial.isEmpty()) {
                    event(out, null, partial.toString());
                }
                event(out, "end", status);
                return;
            }
            if (System.currentTimeMillis() - quietSince > KEEP_ALIVE_MS) {
                out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                quietSince = System.currentTimeMillis();
            }
            Thread.sleep(POLL_MS);
        }
    }

    private static void event(OutputStream out, String name, String data) throws IOException {
        String text = (name == null ? "" : "event: " + name + "\n") + "data: " + data + "\n\n";
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static boolean live(String status) {
        return RunQueue.QUEUED.equals(status) || RunQueue.RUNNING.equals(status);
    }
}
