package dev.hone.server;

import dev.hone.App;
import dev.hone.data.DataDir;
import dev.hone.run.RunStatus;
import dev.hone.spec.ServerSpec;
import dev.hone.spec.Spec;
import dev.hone.store.RunRow;
import dev.hone.store.Store;
import dev.hone.web.WebServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** A real {@code hone serve} in the test's process: store in a temporary data directory, HTTP on a free port. */
public final class Serve implements AutoCloseable {

    public static final String TOKEN = "test-token-0123456789";

    public final Path data;
    public final Store store;
    public final Server server;
    public final WebServer web;
    public final String base;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public Serve(Path data, List<ServerSpec.Repository> repositories, QueuePolicy policy) {
        this(data, repositories, policy, TOKEN);
    }

    public Serve(Path data, List<ServerSpec.Repository> repositories, QueuePolicy policy, String token) {
        this(data, repositories, policy, token, ServerSpec.Channels.NONE);
    }

    /** With the installation's notification channels ({@code notify:} of hone-server.yaml). */
    public Serve(Path data, List<ServerSpec.Repository> repositories, QueuePolicy policy, String token,
                 ServerSpec.Channels channels) {
        this(data, repositories, policy, token, channels, null, Map.of(), List.of());
    }

    /** With no repositories and {@code read_access} set to {@code reads}. */
    public Serve(Path data, ServerSpec.ReadAccess reads) {
        this(data, List.of(), QueuePolicy.of(1), TOKEN, ServerSpec.Channels.NONE, reads, Map.of(), List.of());
    }

    /** Run in this process's environment with {@code env} added, passing trials {@code pass} ({@code trial_env}). */
    public Serve(Path data, List<ServerSpec.Repository> repositories, QueuePolicy policy, Map<String, String> env,
                 List<String> pass) {
        this(data, repositories, policy, TOKEN, ServerSpec.Channels.NONE, null, env, pass);
    }

    /** With the server's clock {@code clock} (schedules are looked at by it). */
    public static Serve clocked(Path data, List<ServerSpec.Repository> repositories, QueuePolicy policy,
                                InstantSource clock) {
        return new Serve(data, repositories, policy, TOKEN, ServerSpec.Channels.NONE, null, Map.of(), List.of(),
                clock, spec -> spec);
    }

    /** Reading the data a hone.yaml names only under {@code roots} ({@code data_roots}). */
    public static Serve readingData(Path data, List<ServerSpec.Repository> repositories, List<String> roots) {
        return new Serve(data, repositories, QueuePolicy.of(1), TOKEN, ServerSpec.Channels.NONE, null, Map.of(),
                List.of(), InstantSource.system(), spec -> spec.withDataRoots(roots));
    }

    private Serve(Path data, List<ServerSpec.Repository> repositories, QueuePolicy policy, String token,
                  ServerSpec.Channels channels, ServerSpec.ReadAccess reads, Map<String, String> extraEnv,
                  List<String> pass) {
        this(data, repositories, policy, token, channels, reads, extraEnv, pass, InstantSource.system(), spec -> spec);
    }

    private Serve(Path data, List<ServerSpec.Repository> repositories, QueuePolicy policy, String token,
                  ServerSpec.Channels channels, ServerSpec.ReadAccess reads, Map<String, String> extraEnv,
                  List<String> pass, InstantSource clock, UnaryOperator<ServerSpec> adjust) {
        this.data = data;
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("HOME", data.toString());
        env.putAll(extraEnv);
        App app = new App(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8), clock, new Random(7));
        ServerSpec spec = new ServerSpec(data, ServerSpec.SQLITE, new ServerSpec.Listen("127.0.0.1", 0), null, token,
                Spec.Executor.LOCAL, new ServerSpec.Limits(policy.runs(), policy.runs() * 2), repositories,
                channels).withReadAccess(reads).withTrialEnv(new ServerSpec.TrialEnv(pass, Set.of()));
        spec = adjust.apply(spec);
        this.store = app.store(new DataDir(data));
        this.server = app.server(store, new DataDir(data), spec, policy);
        server.start();
        this.web = app.web(server).start("127.0.0.1", 0);
        this.base = "http://127.0.0.1:" + web.port();
    }

    /** A repository watched through webhooks (no polling) with {@code secret}. */
    public static ServerSpec.Repository webhooks(String url, String secret, String... branches) {
        return new ServerSpec.Repository(url, List.of(branches.length == 0 ? new String[] {"main"} : branches),
                Duration.ZERO, secret, null);
    }

    public static ServerSpec.Repository polled(String url, Duration poll, String... branches) {
        return new ServerSpec.Repository(url, List.of(branches.length == 0 ? new String[] {"main"} : branches), poll,
                null, null);
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    /** GETs with headers, given as name, value, name, value… */
    public HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    /** POSTs JSON with the API token. */
    public HttpResponse<String> post(String path, String json) {
        return post(path, json, "Authorization", "Bearer " + TOKEN);
    }

    public HttpResponse<String> post(String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("request failed: " + e, e);
        }
    }

    /** Waits (at most {@code seconds}) for a run that matches, as the store has it. */
    public RunRow awaitRun(Predicate<RunRow> match, int seconds) {
        RunRow[] found = new RunRow[1];
        await(() -> {
            found[0] = store.runs(null, 1000, 0).stream().filter(match).findFirst().orElse(null);
            return found[0] != null;
        }, seconds, "a run that matches; runs: " + store.runs(null, 1000, 0) + "\nserver output:\n" + output());
        return found[0];
    }

    /** Waits for the run of {@code commit} to end (any status but queued and running). */
    public RunRow awaitFinished(String commit, int seconds) {
        return awaitRun(r -> commit.equals(r.commit()) && !r.status().live(), seconds);
    }

    public static void await(BooleanSupplier condition, int seconds, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + seconds + "s for " + what);
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    public String output() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        web.stop();
        server.stop(Duration.ofSeconds(10));
        store.close();
    }
}
