package dev.hone.bench;

import dev.hone.App;
import dev.hone.data.DataDir;
import dev.hone.error.HoneException;
import dev.hone.server.QueuePolicy;
import dev.hone.server.Server;
import dev.hone.spec.ServerSpec;
import dev.hone.spec.Spec;
import dev.hone.store.Store;
import dev.hone.store.Stores;
import dev.hone.web.WebServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * {@code hone bench dashboard}: how fast {@code GET /api/runs} answers over a big history. A store (a SQLite file,
 * and a throwaway PostgreSQL database when a server is given) is seeded by {@link DashboardSeed} with {@code runs}
 * runs over 100 projects and one run of many trials; a real {@code hone serve} (API only, nothing scheduled) answers
 * the dashboard's requests over loopback HTTP: the newest page of all runs, of one project, a deep page by the
 * {@code before} cursor and, for contrast, the same depth by {@code offset}; and every trial of the big run, what its
 * page loads first. Each is asked {@code requests} times
 * per round after a warm-up; p50, p95 and max per round, over {@code rounds} rounds. Then a headless Chromium opens
 * the page of a second run of as many trials (three parameters, two intermediate values each) {@code opens} times
 * and reads when the page marked its grid and every chart drawn ({@code performance.mark("hone:run-drawn")}).
 */
public final class DashboardBench {

    /** The shape of the history and of the measurement. */
    public record Options(int runs, int bigRunTrials, int requests, int rounds, int opens, Path chromium) {}

    /** One kind of request's answer times in one round, in ms. */
    public record Round(double p50, double p95, double max) {}

    /** A store's figures: per request kind, a round each. */
    public record Result(String store, long seedMs, Map<String, List<Round>> rounds, long bigRun, long pageRun,
                         List<Double> drawnMs) {}

    static final int PROJECTS = 100;

    private final App app;

    public DashboardBench(App app) {
        this.app = app;
    }

    /** Seeds and measures a SQLite store in {@code work}. */
    public Result sqlite(Options options, Path work) {
        Path file = work.resolve("data").resolve("hone.db");
        return measure("SQLite", file.toString(), "jdbc:sqlite:" + file, options, work);
    }

    /**
     * Seeds and measures a new database on the PostgreSQL server of {@code adminUrl} (a JDBC URL to one of its
     * databases, such as {@code postgres}, of a role that may create databases); the database is dropped after.
     */
    public Result postgres(String adminUrl, Options options, Path work) {
        String database = "hone_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        sql(adminUrl, "CREATE DATABASE " + database);
        try {
            String url = adminUrl.replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
            return measure("PostgreSQL", url, url, options, work);
        } finally {
            sql(adminUrl, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    private Result measure(String name, String location, String jdbcUrl, Options options, Path work) {
        App quiet = new App(app.env(), new PrintStream(OutputStream.nullOutputStream()), app.err(), app.clock(),
                new Random(1));
        DataDir data = new DataDir(work.resolve("data"));
        Path chromium = options.opens() > 0 ? HeadlessChromium.find(options.chromium(), app.env().get("PATH")) : null;
        try (Store store = Stores.open(location)) {
            long start = System.nanoTime();
            DashboardSeed seed = new DashboardSeed(jdbcUrl);
            long newest = seed.runs(options.runs(), PROJECTS, 3);
            long big = seed.bigRun(newest + 1, options.bigRunTrials(), 20);
            long page = seed.bigRun(big + 1, options.bigRunTrials(), 2);
            analyze(jdbcUrl);
            long seedMs = (System.nanoTime() - start) / 1_000_000;
            ServerSpec spec = new ServerSpec(data.root(), name.equals("SQLite") ? ServerSpec.SQLITE : location, new ServerSpec.Listen("127.0.0.1", 0), null,
                    "bench-token", Spec.Executor.LOCAL, new ServerSpec.Limits(1, 1), List.of(),
                    ServerSpec.Channels.NONE);
            Server server = quiet.server(store, data, spec, QueuePolicy.of(1));
            WebServer web = quiet.web(server).start("127.0.0.1", 0);
            try {
                String base = "http://127.0.0.1:" + web.port();
                Map<String, String> paths = new LinkedHashMap<>();
                paths.put("newest 50 runs", "/api/runs?limit=50");
                paths.put("newest 50 of one project", "/api/runs?project=" + DashboardSeed.project(42) + "&limit=50");
                paths.put("50 runs before the middle", "/api/runs?limit=50&before=" + newest / 2);
                paths.put("50 runs at offset 50000", "/api/runs?limit=50&offset=" + Math.min(50_000, newest / 2));
                paths.put("every trial of the big run", "/api/runs/" + big + "/trials");
                Map<String, List<Round>> rounds = new LinkedHashMap<>();
                HttpClient http = HttpClient.newHttpClient();
                for (int round = 0; round < options.rounds(); round++) {
                    for (Map.Entry<String, String> path : paths.entrySet()) {
                        rounds.computeIfAbsent(path.getKey(), k -> new ArrayList<>())
                                .add(round(http, base + path.getValue(), options.requests()));
                    }
                }
                List<Double> drawn = new ArrayList<>();
                if (chromium != null) {
                    try (HeadlessChromium browser = new HeadlessChromium(chromium,
                            Files.createDirectories(work.resolve("chromium")))) {
                        for (int i = 0; i < options.opens(); i++) {
                            drawn.add(browser.open(base + "/runs/" + page, "hone:run-drawn"));
                        }
                    }
                }
                return new Result(name, seedMs, rounds, big, page, drawn);
            } catch (IOException e) {
                throw new HoneException("benchmark: could not make Chromium's profile in " + work + ": "
                        + e.getMessage(), e);
            } finally {
                web.stop();
            }
        }
    }

    private static Round round(HttpClient http, String url, int requests) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build();
        List<Double> ms = new ArrayList<>();
        try {
            for (int i = 0; i < requests / 5 + requests; i++) {
                long start = System.nanoTime();
                HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                double took = (System.nanoTime() - start) / 1e6;
                if (response.statusCode() != 200) {
                    throw new HoneException("benchmark: GET " + url + " answered HTTP " + response.statusCode() + ": "
                            + new String(response.body()));
                }
                if (i >= requests / 5) {
                    ms.add(took);
                }
            }
        } catch (IOException e) {
            throw new HoneException("benchmark: GET " + url + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HoneException("benchmark interrupted");
        }
        ms.sort(null);
        return new Round(percentile(ms, 0.5), percentile(ms, 0.95), ms.getLast());
    }

    static double percentile(List<Double> sorted, double p) {
        return sorted.get(Math.max(0, (int) Math.ceil(p * sorted.size()) - 1));
    }

    /** Fresh statistics for the planner, as a store that has grown over months would have. */
    private static void analyze(String jdbcUrl) {
        sql(jdbcUrl, "ANALYZE");
    }

    private static void sql(String url, String statement) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new HoneException("benchmark: " + statement + " failed on "
                    + url.replaceAll("password=[^&]*", "password=***") + ": " + e.getMessage(), e);
        }
    }

    public static String report(Options options, List<Result> results) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "dashboard: GET /api/runs over %,d runs (%d projects, 3 trials each), loopback HTTP, %d requests per "
                        + "round after %d warm-up, %d rounds%n", options.runs(), PROJECTS, options.requests(),
                options.requests() / 5, options.rounds()));
        for (Result r : results) {
            out.append(String.format(Locale.ROOT, "%s (seeded in %.1f s; run %d has %,d trials):%n", r.store(),
                    r.seedMs() / 1000.0, r.bigRun(), options.bigRunTrials()));
            r.rounds().forEach((what, rounds) -> {
                double lo = rounds.stream().mapToDouble(Round::p95).min().orElseThrow();
                double hi = rounds.stream().mapToDouble(Round::p95).max().orElseThrow();
                out.append(String.format(Locale.ROOT, "  %-27s p95 %6.2f–%6.2f ms  (per round p50/p95/max: %s)%n",
                        what, lo, hi, String.join(", ", rounds.stream().map(x -> String.format(Locale.ROOT,
                                "%.2f/%.2f/%.1f", x.p50(), x.p95(), x.max())).toList())));
            });
            out.append(drawn(options, r));
        }
        return out.toString();
    }

    /** The run page's line: its openings' median, p95 and max, or why it was not opened. */
    private static String drawn(Options options, Result r) {
        if (r.drawnMs().isEmpty()) {
            return String.format(Locale.ROOT, "  run page of run %d not opened (--opens 0: no browser)%n", r.pageRun());
        }
        List<Double> sorted = r.drawnMs().stream().sorted().toList();
        return String.format(Locale.ROOT, "  run page of run %d (%,d trials) drawn in headless Chromium, %d openings: "
                        + "median %.0f ms, p95 %.0f ms, max %.0f ms  (each: %s)%n", r.pageRun(),
                options.bigRunTrials(), sorted.size(), percentile(sorted, 0.5), percentile(sorted, 0.95),
                sorted.getLast(), String.join(", ", r.drawnMs().stream()
                        .map(x -> String.format(Locale.ROOT, "%.0f", x)).toList()));
    }
}
