package dev.hone.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hone.error.HoneException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A headless Chromium driven over the Chrome DevTools Protocol (a WebSocket, no WebDriver) with one page, for
 * {@link DashboardBench}: it opens a URL and reads a {@code performance.mark} the page sets.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SECONDS = 60;

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final String session;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    /**
     * {@code given} when set (it must be executable), else /usr/bin/chromium or chromium, chromium-browser or
     * google-chrome on the PATH; a clear error when there is none.
     */
    static Path find(Path given, String pathVariable) {
        if (given != null) {
            if (!Files.isExecutable(given)) {
                throw new HoneException("benchmark: --chromium " + given + " is not an executable file; give the "
                        + "path of a Chromium or Chrome binary, or skip the run page with --opens 0");
            }
            return given;
        }
        Path debian = Path.of("/usr/bin/chromium");
        if (Files.isExecutable(debian)) {
            return debian;
        }
        for (String dir : (pathVariable == null ? "" : pathVariable).split(":")) {
            for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        throw new HoneException("benchmark: no Chromium found (looked for /usr/bin/chromium, and chromium, "
                + "chromium-browser and google-chrome on the PATH) to open the run page with; install it (apt-get "
                + "install chromium), give its path with --chromium PATH, or skip the run page with --opens 0");
    }

    HeadlessChromium(Path binary, Path profile) {
        this.profile = profile;
        try {
            this.process = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-dev-shm-usage",
                    "--window-size=1280,900", "--user-data-dir=" + profile, "--remote-debugging-port=0", "about:blank")
                    .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
            Path active = profile.resolve("DevToolsActivePort");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
            while (!(Files.isRegularFile(active) && Files.readAllLines(active).size() >= 2)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new HoneException("benchmark: Chromium (" + binary + ") did not open its DevTools port "
                            + "within " + SECONDS + " s:\n" + log());
                }
                Thread.sleep(50);
            }
            List<String> port = Files.readAllLines(active);
            this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + port.get(0) + port.get(1)), new Listener())
                    .get(SECONDS, TimeUnit.SECONDS);
        } catch (IOException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new HoneException("benchmark: could not start Chromium (" + binary + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HoneException("benchmark interrupted");
        }
        String target = call(null, "Target.createTarget", Map.of("url", "about:blank")).get("targetId").asText();
        this.session = call(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true))
                .get("sessionId").asText();
    }

    /**
     * Opens {@code url} from a blank page and returns the {@code startTime} (ms from navigation) of the page's first
     * {@code performance} entry named {@code mark}, once it is there.
     */
    double open(String url, String mark) {
        call(session, "Page.navigate", Map.of("url", "about:blank"));
        call(session, "Page.navigate", Map.of("url", url));
        String read = "location.href === " + JSON.valueToTree(url) + " ? (performance.getEntriesByName("
                + JSON.valueToTree(mark) + ")[0] || {}).startTime ?? null : null";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        while (true) {
            JsonNode value = call(session, "Runtime.evaluate", Map.of("expression", read, "returnByValue", true))
                    .path("result").path("value");
            if (value.isNumber()) {
                return value.asDouble();
            }
            if (System.nanoTime() > deadline) {
                throw new HoneException("benchmark: " + url + " did not mark " + mark + " within " + SECONDS + " s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HoneException("benchmark interrupted");
            }
        }
    }

    private JsonNode call(String sessionId, String method, Map<String, Object> params) {
        long id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", JSON.valueToTree(params));
        if (sessionId != null) {
            message.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            socket.sendText(message.toString(), true).get(SECONDS, TimeUnit.SECONDS);
            JsonNode reply = answer.get(SECONDS, TimeUnit.SECONDS);
            if (reply.has("error")) {
                throw new HoneException("benchmark: Chromium refused " + method + ": " + reply.get("error"));
            }
            return reply.path("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HoneException("benchmark interrupted");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new HoneException("benchmark: Chromium did not answer " + method + ": " + e + "\n" + log(), e);
        } finally {
            pending.remove(id);
        }
    }

    private String log() {
        try {
            return Files.readString(profile.resolve("chromium.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        try {
            call(null, "Browser.close", Map.of());
        } catch (HoneException e) {
            // it may end before it answers
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        socket.abort();
    }

    /** Answers to commands, matched by id; events are not listened to. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    JsonNode message = JSON.readTree(text.toString());
                    CompletableFuture<JsonNode> answer = pending.get(message.path("id").asLong(-1));
                    if (answer != null) {
                        answer.complete(message);
                    }
                } catch (IOException e) {
                    // not an answer to a command
                }
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
