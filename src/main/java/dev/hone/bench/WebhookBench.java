package dev.hone.bench;

import dev.hone.App;
import dev.hone.data.DataDir;
import dev.hone.error.HoneException;
import dev.hone.server.Hooks;
import dev.hone.server.QueuePolicy;
import dev.hone.server.Server;
import dev.hone.server.Watched;
import dev.hone.spec.ServerSpec;
import dev.hone.spec.Spec;
import dev.hone.store.RunRow;
import dev.hone.store.Store;
import dev.hone.web.WebServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * {@code hone bench webhook}: push-to-training-start latency through a webhook, and the cost of an idle poll. A
 * real bare repository gets a post-receive hook that stamps the time and posts a signed GitHub payload to a real
 * {@code hone serve} on 127.0.0.1; the training script stamps the time as its first statement. Latency = training
 * stamp − hook stamp, per push, after warm-up pushes (warm environment). The hook also times its POST until the
 * answer (202, the run already in the store) is read. An idle poll is what the poller does when nothing changed:
 * {@code ls-remote} of the local bare repository and the comparison with the store.
 */
public final class WebhookBench {

    /**
     * @param medianMs         push-to-training-start
     * @param answeredMedianMs the hook's POST until its 202 answer was read
     */
    public record Result(int pushes, double medianMs, double p90Ms, double maxMs, double answeredMedianMs,
                         double answeredMaxMs, int polls, double pollMedianMs) {}

    private static final String SECRET = "bench-secret";

    private final App app;

    public WebhookBench(App app) {
        this.app = app;
    }

    public Result measure(int pushes, int polls, Path work) {
        try {
            Path stamps = work.resolve("hook-stamps");
            Path starts = work.resolve("train-stamps");
            Path bare = work.resolve("bench.git");
            Path clone = work.resolve("bench-work");
            git(work, "init", "--quiet", "--bare", "--initial-branch=main", bare.toString());
            git(work, "clone", "--quiet", bare.toString(), clone.toString());
            git(clone, "checkout", "--quiet", "-B", "main");
            App quiet = new App(app.env(), new PrintStream(OutputStream.nullOutputStream()), app.err(), app.clock(),
                    new Random(1));
            DataDir data = new DataDir(work.resolve("data"));
            ServerSpec spec = new ServerSpec(data.root(), ServerSpec.SQLITE, new ServerSpec.Listen("127.0.0.1", 0), null,
                    "bench-token", Spec.Executor.LOCAL, new ServerSpec.Limits(1, 1),
                    List.of(new ServerSpec.Repository(bare.toString(), List.of("main"), Duration.ZERO, SECRET, null)),
                    ServerSpec.Channels.NONE);
            try (Store store = quiet.store(data)) {
                Server server = quiet.server(store, data, spec, QueuePolicy.of(1));
                server.start();
                WebServer web = quiet.web(server).start("127.0.0.1", 0);
                try {
                    Path hook = bare.resolve("hooks/post-receive");
                    Files.writeString(hook, Hooks.githubPostReceive("http://127.0.0.1:" + web.port()
                            + "/hooks/github", SECRET, bare.toString(), stamps.toString()));
                    Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
                    int warmup = 3;
                    for (int i = 0; i < warmup + pushes; i++) {
                        Files.writeString(clone.resolve("main.py"), """
                                import time
                                open(%s, "a").write("%%d\\n" %% (time.time() * 1000))
                                print("accuracy=0.5")  # push %d
                                """.formatted(python(starts.toString()), i));
                        git(clone, "add", "-A");
                        git(clone, "commit", "--quiet", "-m", "push " + i);
                        git(clone, "push", "--quiet", "origin", "HEAD:refs/heads/main");
                        String sha = git(clone, "rev-parse", "HEAD").strip();
                        awaitRun(store, sha);
                    }
                    List<Long> posted = longs(stamps);
                    List<Long> started = longs(starts);
                    List<Double> latencies = new ArrayList<>();
                    for (int i = warmup; i < warmup + pushes; i++) {
                        latencies.add((double) (started.get(i) - posted.get(i)));
                    }
                    List<Double> answered = answered(Path.of(stamps + ".answered")).subList(warmup, warmup + pushes);
                    Watched repository = server.watchlist().all().get(0);
                    Watched polled = new Watched(null, repository.url(), repository.branches(), Duration.ofSeconds(60),
                            null, null, null);
                    server.pollOnce(polled);
                    List<Double> pollMs = new ArrayList<>();
                    for (int i = 0; i < polls; i++) {
                        long start = System.nanoTime();
                        server.pollOnce(polled);
                        pollMs.add((System.nanoTime() - start) / 1e6);
                    }
                    latencies.sort(null);
                    answered = new ArrayList<>(answered);
                    answered.sort(null);
                    pollMs.sort(null);
                    return new Result(pushes, median(latencies), latencies.get((int) Math.ceil(0.9 * pushes) - 1),
                            latencies.get(pushes - 1), median(answered), answered.get(pushes - 1), polls,
                            median(pollMs));
                } finally {
                    web.stop();
                    server.stop(Duration.ofSeconds(5));
                }
            }
        } catch (IOException e) {
            throw new HoneException("benchmark could not write to " + work + ": " + e.getMessage(), e);
        }
    }

    public static String report(Result r) {
        return String.format(Locale.ROOT, """
                webhook: git push → post-receive hook → POST /hooks/github → queued → checkout → trial process
                  push-to-training-start, %d pushes (warm):  median %6.1f ms · p90 %6.1f ms · max %6.1f ms
                  webhook answered (HTTP 202), %d pushes:    median %6.1f ms · max %6.1f ms
                idle poll (ls-remote of a local bare repository + compare with the store), %d polls:
                  median %6.2f ms
                """, r.pushes(), r.medianMs(), r.p90Ms(), r.maxMs(), r.pushes(), r.answeredMedianMs(),
                r.answeredMaxMs(), r.polls(), r.pollMedianMs());
    }

    private static void awaitRun(Store store, String sha) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            boolean done = store.runs(null, 5, 0).stream().anyMatch(r -> sha.equals(r.commit())
                    && r.finishedAt() != null);
            if (done) {
                return;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HoneException("benchmark interrupted");
            }
        }
        throw new HoneException("benchmark: the run of " + sha + " did not finish within 60s; runs: "
                + store.runs(null, 5, 0).stream().map(RunRow::status).toList());
    }

    private static List<Long> longs(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(l -> (long) Double.parseDouble(l))
                .toList();
    }

    /** The hook's answer times in ms, in push order; every answer must have been a 202. */
    private static List<Double> answered(Path file) throws IOException {
        List<Double> ms = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) {
                continue;
            }
            String[] statusAndMs = line.strip().split(" ");
            if (!statusAndMs[0].equals("202")) {
                throw new HoneException("benchmark: the webhook was answered HTTP " + statusAndMs[0] + ", not 202 ("
                        + file + ": " + line + "); the server's log says why");
            }
            ms.add(Double.parseDouble(statusAndMs[1]));
        }
        return ms;
    }

    private static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String python(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static String git(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=Hone Bench", "-c",
                "user.email=bench@hone.invalid"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new HoneException("benchmark: git " + String.join(" ", args) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new HoneException("benchmark needs git on the PATH: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HoneException("benchmark interrupted");
        }
    }
}
