package dev.hone.bench;

import dev.hone.error.HoneException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code hone bench logs}: what a big trial log costs {@code hone serve}. A real {@code hone serve} is started as a
 * process of its own (this JVM, its class path, no other options: as {@code ./hone serve} runs it) with the local
 * executor and {@code limits.log_size: 256m}; its one trial waits for a gate, then prints {@code size} MB. Phase one:
 * {@code readers} clients follow the log live (server-sent events) while it is written; phase two, once the run has
 * ended: as many clients download the whole log at once. Throughout, {@code /health} is asked every 100 ms and the
 * server's resident memory read from {@code /proc}; its peak ({@code VmHWM}) is taken at the end.
 */
public final class LogBench {

    /**
     * One repetition's figures.
     *
     * @param logBytes      the trial's log as the server kept it
     * @param linesPerRead  the fewest lines one live reader received (the log's lines, less what it lost)
     * @param linesLost     lines the server did not send to readers that read too slowly, over all of them
     * @param bytesPerRead  the fewest bytes one download received
     * @param failed        the HTTP status of each download that was not answered 200 (none, when all were)
     * @param startMiB      resident memory when the server answered its first request
     * @param peakMiB       the server's peak resident memory over its whole life
     * @param live          resident memory and {@code /health} while the log was written and followed
     * @param ended         the same while the whole log was downloaded
     */
    public record Result(long logBytes, int readers, long linesPerRead, long linesLost, double liveSeconds,
                         long bytesPerRead, List<Integer> failed, double downloadSeconds, long startMiB,
                         long peakMiB, Phase live, Phase ended) {

        /** Over both phases. */
        public double healthMaxMs() {
            return Math.max(live.healthMaxMs(), ended.healthMaxMs());
        }
    }

    /** What the probes saw during one phase: the most resident memory, and /health's latency. */
    public record Phase(long residentMaxMiB, int probes, double healthMedianMs, double healthP99Ms,
                        double healthMaxMs) {

        static Phase of(List<Probe> all, long from, long to) {
            List<Probe> in = all.stream().filter(p -> p.at() >= from && p.at() <= to).toList();
            if (in.isEmpty()) {
                return new Phase(0, 0, 0, 0, 0);
            }
            List<Double> ms = in.stream().map(Probe::healthMs).sorted().toList();
            return new Phase(in.stream().mapToLong(Probe::residentMiB).max().orElseThrow(), ms.size(),
                    percentile(ms, 0.5), percentile(ms, 0.99), ms.getLast());
        }
    }

    /** One probe: when (nanoTime), how long /health took, the server's resident memory then. */
    record Probe(long at, double healthMs, long residentMiB) {}

    private static final String TOKEN = "bench-token";
    private static final Pattern LOST = Pattern.compile("--- hone: ([0-9]+) lines not sent here");
    private static final Duration PROBE_EVERY = Duration.ofMillis(100);

    private final Map<String, String> env;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public LogBench(Map<String, String> env) {
        this.env = env;
    }

    public Result measure(int megabytes, int readers, Path work) {
        try {
            Path project = Files.createDirectories(work.resolve("logbench"));
            Path gate = work.resolve("gate");
            Files.writeString(project.resolve("hone.yaml"), """
                    name: logbench
                    metric: {name: accuracy}
                    environment: {executor: local}
                    train: {timeout: 30m}
                    """);
            Files.writeString(project.resolve("main.py"), """
                    import os, sys, time
                    while not os.path.exists(%s):
                        time.sleep(0.05)
                    block = ("x" * 99 + "\\n") * 10000
                    for _ in range(%d):
                        sys.stdout.write(block)
                    sys.stdout.flush()
                    print("accuracy=0.5")
                    """.formatted(python(gate.toString()), megabytes));
            run(project, "git init -q -b main && git add -A && git -c user.name=bench -c user.email=bench@hone.invalid"
                    + " commit -q -m bench");
            int port = freePort();
            Path config = Files.writeString(work.resolve("hone-server.yaml"), """
                    data_dir: %s
                    listen: 127.0.0.1:%d
                    api_token: %s
                    executor: local
                    limits: {log_size: 256m}
                    repositories:
                      - {url: %s, branches: [main], poll: 0}
                    """.formatted(work.resolve("data"), port, TOKEN, project));
            Process server = startServer(config, work.resolve("serve.log"));
            try {
                return measure(server, "http://127.0.0.1:" + port, gate, readers, work.resolve("serve.log"));
            } finally {
                server.destroy();
                if (!server.waitFor(60, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            }
        } catch (IOException e) {
            throw new HoneException("benchmark could not write to " + work + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HoneException("benchmark interrupted");
        }
    }

    private Result measure(Process server, String base, Path gate, int readers, Path serverLog)
            throws IOException, InterruptedException {
        awaitHealth(base, server, serverLog);
        long startMiB = memory(server.pid(), "VmRSS");
        List<Probe> probes = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean measuring = new AtomicBoolean(true);
        Thread prober = Thread.ofPlatform().daemon().name("bench-health")
                .start(() -> probe(base, server.pid(), probes, measuring));
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            String body = send(HttpRequest.newBuilder(URI.create(base + "/api/runs"))
                    .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"project\": \"logbench\"}")), 202);
            long run = Long.parseLong(body.replaceAll(".*\"id\":([0-9]+).*", "$1"));
            String log = base + "/api/runs/" + run + "/logs?trial=1";
            awaitTrial(base, run);

            List<Future<long[]>> live = new ArrayList<>();
            List<InputStream> streams = new ArrayList<>();
            for (int i = 0; i < readers; i++) {
                InputStream stream = http.send(HttpRequest.newBuilder(URI.create(log)).build(),
                        HttpResponse.BodyHandlers.ofInputStream()).body();
                streams.add(stream);
            }
            long liveStart = System.nanoTime();
            for (InputStream stream : streams) {
                live.add(clients.submit(() -> follow(stream)));
            }
            Files.writeString(gate, "go");
            long[] lines = {Long.MAX_VALUE, 0};
            for (Future<long[]> f : live) {
                long[] got = result(f);
                lines[0] = Math.min(lines[0], got[0]);
                lines[1] += got[1];
            }
            long liveEnd = System.nanoTime();
            awaitEnded(base, run);

            long downloadStart = System.nanoTime();
            List<Future<Long>> downloads = new ArrayList<>();
            for (int i = 0; i < readers; i++) {
                downloads.add(clients.submit((Callable<Long>) () -> download(log)));
            }
            long fewest = Long.MAX_VALUE;
            long most = 0;
            List<Integer> failed = new ArrayList<>();
            for (Future<Long> f : downloads) {
                long bytes = result(f);
                if (bytes < 0) {
                    failed.add((int) -bytes);
                    continue;
                }
                fewest = Math.min(fewest, bytes);
                most = Math.max(most, bytes);
            }
            long downloadEnd = System.nanoTime();
            measuring.set(false);
            prober.join();
            long peakMiB = memory(server.pid(), "VmHWM");
            List<Probe> all = List.copyOf(probes);
            return new Result(most, readers, lines[0], lines[1], (liveEnd - liveStart) / 1e9,
                    failed.size() == readers ? 0 : fewest, failed, (downloadEnd - downloadStart) / 1e9, startMiB,
                    peakMiB, Phase.of(all, liveStart, liveEnd), Phase.of(all, downloadStart, downloadEnd));
        } finally {
            measuring.set(false);
        }
    }

    public static String report(List<Result> results, int megabytes) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, """
                logs: hone serve (local executor, limits.log_size 256m), one trial printing %d MB, %d readers
                """, megabytes, results.getFirst().readers()));
        int n = 1;
        for (Result r : results) {
            text.append(String.format(Locale.ROOT, """
                      repeat %d: log %.1f MB; server resident %d MiB at start, peak %d MiB
                        live: %d streams while it was written, at least %,d lines each (%,d lost to slow reading) in \
                    %.1f s
                          %s
                        ended: %d downloads of the whole log at once, %.1f MB each, in %.1f s%s
                          %s
                    """, n++, r.logBytes() / 1e6, r.startMiB(), r.peakMiB(), r.readers(), r.linesPerRead(),
                    r.linesLost(), r.liveSeconds(), phase(r.live()), r.readers(), r.bytesPerRead() / 1e6,
                    r.downloadSeconds(), r.failed().isEmpty() ? "" : "; " + r.failed().size() + " failed, HTTP "
                            + r.failed().stream().distinct().sorted().toList(), phase(r.ended())));
        }
        text.append(String.format(Locale.ROOT,
                "  over %d repeats: peak resident %d–%d MiB; /health max %.1f–%.1f ms%n", results.size(),
                results.stream().mapToLong(Result::peakMiB).min().orElseThrow(),
                results.stream().mapToLong(Result::peakMiB).max().orElseThrow(),
                results.stream().mapToDouble(Result::healthMaxMs).min().orElseThrow(),
                results.stream().mapToDouble(Result::healthMaxMs).max().orElseThrow()));
        return text.toString();
    }

    private static String phase(Phase p) {
        return String.format(Locale.ROOT, "resident at most %d MiB; /health, %d probes: median %.1f ms · p99 %.1f ms"
                + " · max %.1f ms", p.residentMaxMiB(), p.probes(), p.healthMedianMs(), p.healthP99Ms(),
                p.healthMaxMs());
    }

    /** Reads a live stream to its end event: {lines received, lines the server said it did not send}. */
    private static long[] follow(InputStream stream) throws IOException {
        long lines = 0;
        long lost = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null && !line.equals("event: end")) {
                if (line.startsWith("data: ")) {
                    Matcher m = LOST.matcher(line);
                    if (m.find()) {
                        lost += Long.parseLong(m.group(1));
                    } else {
                        lines++;
                    }
                }
            }
        }
        return new long[] {lines, lost};
    }

    /** The bytes of the whole log; minus the HTTP status when it was not 200. */
    private long download(String log) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(log)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long bytes = 0;
        try (InputStream in = response.body()) {
            byte[] buffer = new byte[64 * 1024];
            int read;
            while ((read = in.read(buffer)) > 0) {
                bytes += read;
            }
        }
        return response.statusCode() == 200 ? bytes : -response.statusCode();
    }

    /** Asks /health every 100 ms on a client of its own (the readers' would delay its answers). */
    private void probe(String base, long pid, List<Probe> probes, AtomicBoolean measuring) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(base + "/health")).timeout(Duration.ofSeconds(60))
                .build();
        while (measuring.get()) {
            long start = System.nanoTime();
            try {
                try {
                    http.send(health, HttpResponse.BodyHandlers.discarding());
                } catch (IOException e) {
                    // a failed probe counts with the time it took
                }
                probes.add(new Probe(start, (System.nanoTime() - start) / 1e6, memory(pid, "VmRSS")));
                Thread.sleep(PROBE_EVERY);
            } catch (IOException e) {
                return; // the server is gone
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private Process startServer(Path config, Path output) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder serve = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "dev.hone.cli.Main", "serve", "--config", config.toString()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).directory(config.getParent().toFile());
        serve.environment().clear();
        serve.environment().putAll(env);
        return serve.start();
    }

    private void awaitHealth(String base, Process server, Path serverLog) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new HoneException("benchmark: hone serve ended at start:\n" + Files.readString(serverLog));
            }
            try {
                http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new HoneException("benchmark: hone serve did not answer within 60s:\n" + Files.readString(serverLog));
    }

    private void awaitTrial(String base, long run) throws IOException, InterruptedException {
        await(() -> send(HttpRequest.newBuilder(URI.create(base + "/api/runs/" + run + "/trials")), 200)
                .contains("\"state\":\"running\""), "trial 1 of run " + run + " to start");
    }

    private void awaitEnded(String base, long run) throws IOException, InterruptedException {
        await(() -> !send(HttpRequest.newBuilder(URI.create(base + "/api/runs/" + run)), 200)
                .matches("(?s).*\"status\":\"(queued|running)\".*"), "run " + run + " to end");
    }

    private interface Check {
        boolean done() throws IOException, InterruptedException;
    }

    private static void await(Check check, String what) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (!check.done()) {
            if (System.nanoTime() > deadline) {
                throw new HoneException("benchmark: waited 10 minutes for " + what);
            }
            Thread.sleep(50);
        }
    }

    private String send(HttpRequest.Builder request, int status) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != status) {
            throw new HoneException("benchmark: " + response.request().uri() + " answered HTTP "
                    + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static <T> T result(Future<T> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw new HoneException("benchmark: a reader failed: " + e.getCause(), e.getCause());
        }
    }

    /** The resident memory figure {@code field} (VmRSS, VmHWM) of a process, in MiB. */
    private static long memory(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        throw new HoneException("benchmark: /proc/" + pid + "/status has no " + field + " (Linux only)");
    }

    private static double percentile(List<Double> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private void run(Path dir, String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", script).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new HoneException("benchmark: `" + script + "` failed (git on the PATH?): " + out);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String python(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
