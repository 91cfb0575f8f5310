package dev.hone.web;

import dev.hone.data.TrialDir;
import dev.hone.server.Server;
import dev.hone.source.Confined;
import dev.hone.store.RunRow;
import dev.hone.store.Store;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One trial's files for the dashboard's trial view: {@code /api/runs/{id}/trials/{n}/files} lists what it left in
 * its output directory ({@code $HONE_OUTPUT}), {@code …/files/{path}} downloads one of them — only inside that
 * directory: a path that climbs out, or a link, is refused — and {@code …/diff} is the {@code workspace.diff} of
 * its rebuild edits (204 when it has none).
 */
final class TrialRoutes {

    /** The most files listed: a trial that wrote more is listed in part (its archive holds them all). */
    static final int LISTED = 1000;

    private final Server server;
    private final Store store;

    TrialRoutes(Server server) {
        this.server = server;
        this.store = server.store();
    }

    void register(RoutesConfig routes) {
        routes.get("/api/runs/{id}/trials/{number}/files", this::files);
        routes.get("/api/runs/{id}/trials/{number}/files/<path>", this::file);
        routes.get("/api/runs/{id}/trials/{number}/diff", this::diff);
    }

    record FileItem(String path, long bytes) {
    }

    private void files(Context ctx) throws IOException {
        Path output = trial(ctx).output();
        List<FileItem> items = new ArrayList<>();
        if (Files.isDirectory(output, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> walk = Files.walk(output)) {  // links are not followed, and not listed
                walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().limit(LISTED)
                        .forEach(p -> items.add(new FileItem(output.relativize(p).toString().replace('\\', '/'),
                                size(p))));
            }
        }
        ctx.json(items);
    }

    private void file(Context ctx) throws IOException {
        TrialDir trial = trial(ctx);
        String name = ctx.pathParam("path");
        Path file;
        try {
            file = Confined.file(trial.output(), name, "the trial's output directory");
        } catch (Confined.LinkOutsideException e) {
            throw new NotFoundResponse(e.getMessage());
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new NotFoundResponse("trial " + ctx.pathParam("number") + " of run " + ctx.pathParam("id")
                    + " has no output file " + name + ": GET …/files lists what it kept");
        }
        ctx.contentType("application/octet-stream").header("X-Content-Type-Options", "nosniff")
                .header("Content-Disposition", "attachment; filename=\""
                        + file.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_") + "\"")
                .header("Cache-Control", "no-store").result(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS));
    }

    private void diff(Context ctx) throws IOException {
        Path diff = trial(ctx).diff();
        if (!Files.isRegularFile(diff, LinkOption.NOFOLLOW_LINKS)) {
            ctx.status(HttpStatus.NO_CONTENT);
            return;
        }
        ctx.contentType("text/plain; charset=utf-8").header("X-Content-Type-Options", "nosniff")
                .result(Files.newInputStream(diff, LinkOption.NOFOLLOW_LINKS));
    }

    private TrialDir trial(Context ctx) {
        long id = Requests.id(ctx);
        RunRow run = store.run(id).orElseThrow(() -> new NotFoundResponse("no run " + id));
        int number = Requests.number(ctx.pathParam("number"), "trial");
        if (store.trials(run.id(), 1, number - 1).stream().noneMatch(t -> t.trial().number() == number)) {
            throw new NotFoundResponse("run " + run.id() + " has no trial " + number);
        }
        return server.dataDir().run(run.id()).trial(number);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
