package dev.hone.serving;

import dev.hone.notify.Channels;
import dev.hone.notify.Courier;
import dev.hone.notify.Dispatcher;
import dev.hone.notify.Event;
import dev.hone.pipeline.Alerts;
import dev.hone.restart.RestartPolicy;
import dev.hone.spec.ServerSpec;
import dev.hone.spec.Spec;
import dev.hone.store.NewRun;
import dev.hone.store.Store;
import dev.hone.store.Stores;
import dev.hone.testing.Docker;
import dev.hone.testing.Ports;
import dev.hone.testing.ServeScript;
import dev.hone.time.Backoff;
import dev.hone.time.Sleeper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Set;

/**
 * A project whose runs produced models to serve: a real store and dispatcher (console channel), runs in the store,
 * a workspace with {@link ServeScript#PY} as {@code serve.py}, and one model directory per run.
 */
final class ServeFixture implements AutoCloseable {

    /** A project name no other test's containers carry. */
    static final String PROJECT = "supervise-serve-fixture";
    /** A secret in the serve container's environment (its name says so): never in an event or notification. */
    static final String TOKEN = "tok-serve-7f3a9c";
    /** A secret the spec found in serve.command ({@code Spec.Train#secrets}): the model gets it as an argument. */
    static final String COMMAND_KEY = "key-serve-4b1d";
    static final String LABEL = Deployments.LABEL + "=" + PROJECT;

    final Path dir;
    final Store store;
    final Dispatcher dispatcher;
    final Path workspace;
    final ByteArrayOutputStream console = new ByteArrayOutputStream();

    ServeFixture(Path dir) throws IOException {
        this.dir = dir;
        this.store = Stores.open(dir.resolve("hone.db").toString());
        PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
        Courier courier = new Courier(store.outbox(), InstantSource.system(), Sleeper.system(),
                Courier.Retry.DEFAULT);
        this.dispatcher = new Dispatcher(courier, store.outbox(), new Channels(ServerSpec.Channels.NONE, null, out),
                InstantSource.system(), Dispatcher.WAIT);
        this.workspace = Files.createDirectories(dir.resolve("workspace"));
        Files.writeString(workspace.resolve("serve.py"), ServeScript.PY);
    }

    /** A run in the store whose best trial's output holds {@code model.txt} = {@code text}; returns its id. */
    long run(String text) throws IOException {
        long id = store.createRun(new NewRun(PROJECT, dir.toString(), null, null, null, null, null, Instant.now()));
        Files.writeString(Files.createDirectories(model(id)).resolve("model.txt"), text + "\n");
        return id;
    }

    Path model(long runId) {
        return dir.resolve("models").resolve(Long.toString(runId));
    }

    Deployments.Request request(long runId, int port, Spec.RestartPolicy policy, int maxRestarts) {
        Spec.Serve serve = new Spec.Serve("python3 serve.py --key " + COMMAND_KEY, port, "/health",
                new Spec.Restart(policy, maxRestarts));
        Alerts alerts = new Alerts(store, dispatcher, InstantSource.system(), runId, null);
        return new Deployments.Request(PROJECT, runId, 1, new Event.Origin(PROJECT, null, null), alerts::report,
                "hone/python", model(runId), workspace, serve, Map.of("EXTRA", "from-train-env", "API_TOKEN", TOKEN),
                Set.of(COMMAND_KEY), null, 256L << 20);
    }

    /** A port nobody listens on now. */
    static int freePort() {
        return Ports.free();
    }

    /** GET over a connection of its own (HTTP/1.0): the body, or throws. */
    static String get(int port, String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.0\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!response.startsWith("HTTP/1.0 200")) {
                throw new IOException("not a 200: " + (response.isEmpty() ? "(connection closed)" : response));
            }
            return response.substring(response.indexOf("\r\n\r\n") + 4);
        }
    }

    static Deployments.Options fast() {
        return new Deployments.Options(Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(1), 3,
                Duration.ofSeconds(5), Backoff.doubling(Duration.ofMillis(200), Duration.ofSeconds(1)), Duration.ofSeconds(30));
    }

    @Override
    public void close() {
        Docker.removeAll(LABEL);
        store.close();
    }
}
