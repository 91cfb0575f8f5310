package dev.hone.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hone.run.RunStatus;
import dev.hone.run.Usage;
import dev.hone.server.GitFixture;
import dev.hone.server.QueuePolicy;
import dev.hone.server.Serve;
import dev.hone.store.NewRun;
import dev.hone.testing.Parts;
import dev.hone.tune.Trial;
import dev.hone.tune.TrialState;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real headless Chromium, driven over the DevTools protocol, against a real {@code hone serve}
 * that ran a real repository's runs. Set {@code -Dhone.dashboard.screenshots=DIR} to keep a PNG of every page.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String MESSAGE = "Tune c <b>bold</b> & <img src=x onerror=\"window.pwned=1\">";
    /** A repository nobody serves: its status is failing. */
    static final String GONE = "ssh://git@127.0.0.1:1/acme/gone.git";

    @TempDir
    static Path tmp;
    Serve serve;
    Chromium browser;
    long finished;
    /** The trial of the finished run with c=2 (the grid's order is the sampler's): its best. */
    int best;

    @BeforeAll
    void start() throws Exception {
        Path chromium = Chromium.find();
        Parts.require(chromium != null, "Chromium (apt-get install chromium; .ci/chromium.sh)");
        GitFixture digits = new GitFixture(tmp, "digits");
        digits.write("main.py", """
                import os, sys
                c = int(os.environ["HONE_PARAM_C"])
                if c == 3:
                    sys.exit("c=3 diverged")
                print(f"accuracy={[0, 0.61, 0.82, 0, 0.74][c]}")
                """).write("hone.yaml", """
                metric: {name: accuracy, target: 0.95}
                tune: {strategy: grid, params: {c: [1, 2, 3, 4]}, max_trials: 4}
                """).commit(MESSAGE);
        digits.push("main");
        GitFixture stream = new GitFixture(tmp, "stream");
        stream.write("main.py", """
                import pathlib, time
                print("step=1 accuracy=0.5", flush=True)
                gate, deadline = pathlib.Path(%s), time.time() + 60
                while not gate.exists() and time.time() < deadline:
                    time.sleep(0.05)
                print("accuracy=0.97", flush=True)
                """.formatted(JSON.writeValueAsString(tmp.resolve("gate").toString())))
                .write("hone.yaml", "metric: {name: accuracy, target: 0.9}\n").commit("Stream");
        stream.push("main");
        GitFixture live = new GitFixture(tmp, "live");
        live.write("main.py", """
                import os, pathlib, time
                if os.environ["HONE_TRIAL"] == "1":
                    print("accuracy=0.61 f1=0.5", flush=True)
                    raise SystemExit(0)
                gate, deadline = pathlib.Path(%s), time.time() + 60
                while not gate.exists() and time.time() < deadline:
                    time.sleep(0.05)
                print("accuracy=0.7", flush=True)
                """.formatted(JSON.writeValueAsString(tmp.resolve("live-gate").toString())))
                .write("hone.yaml", """
                metric: {name: accuracy, target: 0.99}
                tune: {strategy: grid, params: {c: [1, 2]}, max_trials: 2}
                """).commit("Live");
        live.push("main");
        serve = new Serve(tmp.resolve("data"), List.of(Serve.webhooks(digits.url(), "s"),
                Serve.webhooks(stream.url(), "s"), Serve.webhooks(live.url(), "s"), Serve.polled(GONE, Duration.ofSeconds(1))), QueuePolicy.of(2));
        finished = trigger("digits");
        best = serve.awaitRun(r -> r.id() == finished && r.finishedAt() != null, 60).bestTrial();
        browser = new Chromium(chromium, Files.createDirectories(tmp.resolve("chromium")));
        browser.countEventSources();
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (serve != null) {
            serve.close();
        }
    }

    @AfterEach
    void pagesNeverShowTheTokenNorFailInTheBrowser() {
        if (browser != null) {
            assertThat(browser.html()).doesNotContain(Serve.TOKEN);
            assertThat(browser.errors()).as("errors in the browser's console").isEmpty();
        }
    }

    long trigger(String project) throws IOException {
        return JSON.readTree(serve.post("/api/runs", "{\"project\": \"" + project + "\"}").body()).get("id").asLong();
    }

    @Test
    void everyPageIsServedByHoneItselfUnderAPolicyThatAllowsNoOtherOrigin() {
        for (String path : List.of("/", "/projects/digits", "/runs", "/runs/" + finished, "/runs/999")) {
            var page = serve.get(path);
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type").orElseThrow()).as(path).startsWith("text/html");
            assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).as(path)
                    .startsWith("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'");
            assertThat(page.body()).as(path).contains("<script src=\"/app.js\" defer></script>")
                    .doesNotContain("http://", "https://", Serve.TOKEN);
        }
        for (String script : List.of("/app.js", "/project.js", "/run.js", "/assets/uplot/uPlot.iife.min.js")) {
            var served = serve.get(script);
            assertThat(served.statusCode()).as(script).isEqualTo(200);
            assertThat(served.headers().firstValue("Content-Type").orElseThrow()).as(script)
                    .startsWith("text/javascript");
            if (!script.startsWith("/assets/")) {
                assertThat(served.body()).as("API text enters the page as text in " + script)
                        .doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML");
            }
        }
        for (String style : List.of("/style.css", "/assets/uplot/uPlot.min.css")) {
            assertThat(serve.get(style).headers().firstValue("Content-Type").orElseThrow()).as(style)
                    .startsWith("text/css");
        }
    }

    @Test
    void uPlotComesFromTheJarAndRunsUnderThePolicy() {
        browser.open(serve.base + "/runs/" + finished, "document.querySelector('main tbody tr')");

        assertThat(browser.eval("typeof uPlot").asText()).isEqualTo("function");
        assertThat(browser.eval("performance.getEntriesByType('resource').map(e => e.name)"))
                .extracting(JsonNode::asText).contains(serve.base + "/assets/uplot/uPlot.iife.min.js",
                        serve.base + "/assets/uplot/uPlot.min.css");
    }

    @Test
    void theProjectsPageListsEachProjectWithItsLatestRun() {
        browser.open(serve.base + "/", "document.querySelector('main tbody tr')");

        JsonNode digits = StreamSupport.stream(browser.eval(ROWS).spliterator(), false)
                .filter(row -> row.get(0).asText().equals("digits")).findFirst().orElseThrow();
        assertThat(digits.get(1).asText()).isEqualTo("target_missed");
        assertThat(digits.get(2).asText()).isEqualTo("#" + finished);
        assertThat(digits.get(3).asText()).isEqualTo("0.82 · trial " + best);
        assertThat(digits.get(4).asText()).isEqualTo("4");
        assertThat(browser.eval("document.querySelector('main a').getAttribute('href')").asText())
                .isEqualTo("/projects/digits");
        assertThat(browser.eval("performance.getEntriesByType('resource').map(e => e.name)"))
                .as("what the page loaded").isNotEmpty()
                .allSatisfy(url -> assertThat(url.asText()).startsWith(serve.base + "/"));
        browser.screenshot("projects");
    }

    @Test
    void theProjectsPageShowsEachRepositorysStatusAndWhatToDoAboutAFailingOne() {
        Serve.await(() -> !serve.store.installation().repositoryEvents(GONE, 1).isEmpty(), 30, "a failed poll");
        browser.open(serve.base + "/", "document.querySelector('tr.repository.failing')");

        JsonNode rows = browser.eval("[...document.querySelectorAll('tr.repository')]"
                + ".map(r => [...r.cells].map(c => c.textContent))");
        JsonNode gone = StreamSupport.stream(rows.spliterator(), false)
                .filter(row -> row.get(0).asText().equals(GONE)).findFirst().orElseThrow();
        assertThat(gone.get(1).asText()).isEqualTo("main");
        assertThat(gone.get(2).asText()).isEqualTo("every 1s");
        assertThat(gone.get(3).asText()).isEqualTo("failing");
        assertThat(gone.get(4).asText()).startsWith("cannot reach 127.0.0.1:1 for " + GONE + ": the connection was "
                + "refused — is the server up, and is the port right?; trying again in ");
        JsonNode digits = StreamSupport.stream(rows.spliterator(), false)
                .filter(row -> row.get(0).asText().endsWith("digits.git")).findFirst().orElseThrow();
        assertThat(digits.get(2).asText()).isEqualTo("webhooks");
        assertThat(digits.get(3).asText()).as("fetched for its runs").isEqualTo("ok");
        browser.screenshot("repositories");
    }

    @Test
    void theRunPageAtTheLinkOfNotificationsShowsStatusTargetBestAndEveryTrial() {
        browser.open(serve.base + "/runs/" + finished, "document.querySelectorAll('main table.grid tbody tr').length === 4");

        assertThat(browser.eval("document.querySelector('h1').textContent").asText())
                .isEqualTo("Run " + finished + " target_missed");
        JsonNode facts = browser.eval("Object.fromEntries([...document.querySelectorAll('dt')]"
                + ".map(dt => [dt.textContent, dt.nextElementSibling.textContent]))");
        assertThat(facts.get("metric").asText()).isEqualTo("accuracy (maximize)");
        assertThat(facts.get("target").asText()).isEqualTo("≥ 0.95");
        assertThat(facts.get("best").asText()).isEqualTo("0.82 at trial " + best);
        assertThat(facts.get("best params").asText()).isEqualTo("c=2");
        assertThat(facts.get("commit").asText()).endsWith(" on main by Ana Dev");
        assertThat(facts.get("message").asText()).isEqualTo(MESSAGE);

        List<List<String>> rows = StreamSupport.stream(browser.eval(ROWS).spliterator(), false)
                .map(row -> StreamSupport.stream(row.spliterator(), false).map(JsonNode::asText).toList()).toList();
        assertThat(browser.eval("[...document.querySelectorAll('main table.grid thead th')].map(th => th.textContent)"))
                .extracting(JsonNode::asText).startsWith("#", "state", "accuracy", "c");
        assertThat(rows).extracting(row -> row.get(0)).containsExactly("1", "2", "3", "4");
        assertThat(rows).extracting(row -> row.get(1) + " " + row.get(2) + " " + row.get(3))
                .containsExactlyInAnyOrder("succeeded 0.61 1", "succeeded ★ best 0.82 2", "failed — 3",
                        "succeeded 0.74 4");
        assertThat(browser.eval("document.querySelector('tr.best td').textContent").asText())
                .isEqualTo(Integer.toString(best));
        assertThat(browser.eval("plots.value.data[1].filter(v => v != null).length").asInt()).isEqualTo(3);
        assertThat(browser.eval("plots.value.series[3].label").asText()).isEqualTo("target 0.95");
        int diverged = rows.stream().filter(row -> row.get(3).equals("3")).findFirst().map(row -> row.get(0))
                .map(Integer::parseInt).orElseThrow();
        browser.eval("document.querySelector('tr[data-trial=\"" + diverged + "\"]').click()");
        browser.await("document.querySelector('#trial p.error')?.textContent.includes('c=3 diverged')");
        assertThat(browser.eval("document.querySelector('ul.events').textContent").asText())
                .contains("target_missed");
        browser.screenshot("run");
    }

    @Test
    void theLogOfAFinishedTrialIsItsWholeText() {
        String button = "document.querySelector('tr[data-trial=\"" + best + "\"]')";
        browser.open(serve.base + "/runs/" + finished, button);

        browser.eval(button + ".click()");

        browser.await("document.querySelector('pre.log').textContent === 'accuracy=0.82\\n'");
        assertThat(browser.eval("document.querySelector('#log h2').textContent").asText())
                .isEqualTo("Log of trial " + best);
    }

    @Test
    void theLogOfALongTrialShowsItsLastThousandLinesAndLinksTheWholeLog() throws IOException {
        long id = serve.store.createRun(new NewRun("long-log", tmp.toString(), null, null, null, null, null,
                Instant.now()));
        Path log = Files.createDirectories(serve.data.resolve("runs/" + id + "/trials/1")).resolve("train.log");
        StringBuilder text = new StringBuilder();
        for (int line = 1; line <= 1500; line++) {
            text.append("line ").append(line).append('\n');
        }
        Files.writeString(log, text);
        serve.store.saveTrial(id, new Trial(1, Map.of(), TrialState.SUCCEEDED, 0.5, List.of(), 0, 10, null, ""),
                Instant.now(), log.toString());
        serve.store.finishRun(id, RunStatus.SUCCEEDED, 1, Instant.now());
        String button = "document.querySelector('tr[data-trial=\"1\"]')";
        browser.open(serve.base + "/runs/" + id, button);

        browser.eval(button + ".click()");

        browser.await("document.querySelector('#log p a')?.textContent === 'the whole log'");
        String shown = browser.eval("document.querySelector('pre.log').textContent").asText();
        assertThat(shown).startsWith("line 501\n").endsWith("line 1500\n");
        assertThat(browser.eval("document.querySelector('#log p').textContent").asText())
                .isEqualTo("Its last 1000 lines; the whole log.");
        assertThat(browser.eval("document.querySelector('#log p a').getAttribute('href')").asText())
                .isEqualTo("/api/runs/" + id + "/logs?trial=1");
    }

    @Test
    void theRunsOfAProjectShowTheirCommitAsTextNeverAsMarkup() {
        browser.open(serve.base + "/projects/digits", "document.querySelectorAll('main table.runs tbody tr').length === 1");

        JsonNode row = browser.eval(RUNS).get(0);
        String sha = serve.store.run(finished).orElseThrow().commit();
        assertThat(row.get(1).asText()).isEqualTo("#" + finished);
        assertThat(row.get(2).asText()).isEqualTo("target_missed");
        assertThat(row.get(3).asText()).isEqualTo(sha.substring(0, 8) + " " + MESSAGE);
        assertThat(row.get(4).asText()).isEqualTo("main");
        assertThat(row.get(5).asText()).isEqualTo("Ana Dev");
        assertThat(row.get(6).asText()).isEqualTo("0.82 · trial " + best);
        assertThat(row.get(7).asText()).isEqualTo("4");
        assertThat(browser.eval("document.querySelectorAll('main b, main img').length").asInt()).isZero();
        assertThat(browser.eval("window.pwned === undefined").asBoolean()).isTrue();
        browser.screenshot("runs");
    }

    @Test
    void aRunningRunStreamsItsLogAndTheRunPageFollowsItToTheEnd() throws Exception {
        long id = trigger("stream");
        serve.awaitRun(r -> r.id() == id && r.status() == RunStatus.RUNNING, 30);

        browser.open(serve.base + "/runs/" + id, "document.querySelector('pre.log')?.textContent"
                + ".includes('step=1 accuracy=0.5\\n')");
        // the log's lines come over the page's one event stream, opened for the trial shown
        browser.await(Chromium.OPEN_SOURCES + ".join() === '/api/events?run=" + id + "&trial=1&tail=1000'");
        assertThat(browser.eval("document.querySelector('h1 .badge').textContent").asText()).isEqualTo("running");
        assertThat(browser.eval("document.getElementById('live').hidden").asBoolean()).isFalse();
        browser.screenshot("running");

        Files.writeString(tmp.resolve("gate"), "go");

        browser.await("document.querySelector('h1 .badge').textContent === 'target_reached'"
                + " && document.getElementById('live').hidden");
        browser.await("['The trial ended: succeeded.', 'The run ended: target_reached.']" // whichever came first
                + ".includes(document.querySelector('#log p').textContent)");
        assertThat(browser.eval("document.querySelector('pre.log').textContent").asText())
                .isEqualTo("step=1 accuracy=0.5\naccuracy=0.97\n");
        assertThat(browser.eval(ROWS).get(0).get(1).asText()).isEqualTo("succeeded ★ best");
    }

    @Test
    void aLiveRunShowsItsBestSoFarAndEveryMetricOfItsTrials() throws Exception {
        long id = trigger("live");
        Serve.await(() -> serve.store.trials(id).stream().anyMatch(t -> t.trial().number() == 2
                && t.trial().state() == TrialState.RUNNING), 30, "trial 2 of the live run to start");

        browser.open(serve.base + "/runs/" + id, "document.querySelectorAll('main table.grid tbody tr').length === 2");
        assertThat(browser.eval("document.querySelector('h1 .badge').textContent").asText()).isEqualTo("running");
        JsonNode facts = browser.eval("Object.fromEntries([...document.querySelectorAll('dt')]"
                + ".map(dt => [dt.textContent, dt.nextElementSibling.textContent]))");
        assertThat(facts.get("best").asText()).isEqualTo("0.61 at trial 1");
        JsonNode first = browser.eval(ROWS).get(0);
        assertThat(first.get(1).asText() + " " + first.get(2).asText()).isEqualTo("succeeded ★ best 0.61");
        assertThat(browser.eval("document.querySelectorAll('main table.grid thead th')[4].textContent").asText())
                .isEqualTo("f1");
        assertThat(first.get(4).asText()).as("the metrics beside the run's own").isEqualTo("0.5");

        browser.open(serve.base + "/projects/live", "document.querySelectorAll('main table.runs tbody tr').length === 1");
        assertThat(browser.eval(RUNS).get(0).get(6).asText()).isEqualTo("0.61 · trial 1");
        browser.screenshot("live-best");

        Files.writeString(tmp.resolve("live-gate"), "go");
        serve.awaitRun(r -> r.id() == id && r.finishedAt() != null, 30);
    }

    @Test
    void eachTrialShowsWhatItUsedAsItsExecutorMeasuredIt() throws IOException {
        long id = serve.store.createRun(new NewRun("usage", "/src/usage", null, null, null, null, null,
                Instant.parse("2026-12-05T10:00:00Z")));
        Path log = Files.createDirectories(serve.data.resolve("runs/" + id + "/trials/1")).resolve("train.log");
        Files.writeString(log, "value=0.9\n");
        serve.store.saveTrial(id, Trial.succeeded(1, Map.of(), 0.9, List.of(), 12_400).withResources(new Usage(
                Duration.ofMillis(12_400), Duration.ofMillis(11_900), 432_013_312L, 3_435_973_837L, 87.5,
                "cgroup + nvidia-smi")), Instant.parse("2026-12-05T10:00:00Z"), log.toString());
        serve.store.saveTrial(id, Trial.succeeded(2, Map.of(), 0.8, List.of(), 900).withResources(new Usage(
                Duration.ofMillis(900), null, 9_000_000L, null, null, "/proc")), Instant.parse("2026-12-05T10:00:13Z"),
                null);
        serve.store.saveTrial(id, Trial.running(3, Map.of()), Instant.parse("2026-12-05T10:00:14Z"), null);
        serve.store.finishRun(id, RunStatus.SUCCEEDED, 1, Instant.parse("2026-12-05T10:00:20Z"));

        browser.open(serve.base + "/runs/" + id, "document.querySelectorAll('main table.grid tbody tr').length === 3");

        JsonNode headings = browser.eval("[...document.querySelectorAll('main table.grid thead th')]"
                + ".map(th => th.textContent)");
        int cpu = List.of(JSON.convertValue(headings, String[].class)).indexOf("CPU s");
        int memory = List.of(JSON.convertValue(headings, String[].class)).indexOf("peak memory");
        assertThat(browser.eval(ROWS)).extracting(row -> row.get(cpu).asText() + " / " + row.get(memory).asText())
                .containsExactly("11.9 / 412 MiB", "— / 9 MiB", "— / —");

        browser.eval("document.querySelector('tr[data-trial=\"1\"]').click()");
        browser.await("document.querySelector('#trial span.resources')");
        assertThat(browser.eval("document.querySelector('#trial span.resources').textContent").asText())
                .isEqualTo("12.4 s wall · 11.9 s CPU · 412 MiB peak · GPU 3.2 GiB peak, 88%");
        assertThat(browser.eval("document.querySelector('#trial span.resources').title").asText())
                .isEqualTo("measured by cgroup + nvidia-smi");
    }

    @Test
    void aRunThatDoesNotExistSaysSo() {
        browser.open(serve.base + "/runs/999", "document.querySelector('main .error')");

        assertThat(browser.eval("document.querySelector('main .error').textContent").asText())
                .isEqualTo("no run 999");
        assertThat(browser.forgetErrors()).as("the browser's console").isNotEmpty()
                .allMatch(error -> error.contains("404 (Not Found)") && error.contains("/api/runs/999"));
    }

    /** The cells' text of the rows of the page's table (on a run's page, its trials grid). */
    static final String ROWS = "[...document.querySelectorAll('main table.grid tbody tr, main > table tbody tr')]"
            + ".map(r => [...r.cells].map(c => c.textContent))";
    /** The cells' text of a project's runs (the first cell: the box that picks a run to compare). */
    static final String RUNS = "[...document.querySelectorAll('main table.runs tbody tr')]"
            + ".map(r => [...r.cells].map(c => c.textContent))";

    /**
     * A headless Chromium driven over the Chrome DevTools Protocol (a WebSocket, no WebDriver): one page, commands
     * answered in order, and the page's console errors, uncaught exceptions and refused loads collected.
     */
    static final class Chromium implements AutoCloseable {

        private static final int SECONDS = 20;

        private final Process process;
        private final Path profile;
        private final WebSocket socket;
        private final String session;
        private final AtomicLong ids = new AtomicLong();
        private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
        private final List<String> errors = new ArrayList<>();

        Chromium(Path binary, Path profile) throws Exception {
            this.profile = profile;
            this.process = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-dev-shm-usage",
                    "--window-size=1280,900", "--user-data-dir=" + profile, "--remote-debugging-port=0", "about:blank")
                    .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
            Path active = profile.resolve("DevToolsActivePort");
            Serve.await(() -> Files.isRegularFile(active) && lines(active).size() >= 2 || !process.isAlive(), SECONDS,
                    "Chromium's DevToolsActivePort");
            if (!process.isAlive()) {
                throw new AssertionError("Chromium ended at start:\n" + log());
            }
            List<String> port = lines(active);
            this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + port.get(0) + port.get(1)), new Listener())
                    .get(SECONDS, TimeUnit.SECONDS);
            String target = call(null, "Target.createTarget", Map.of("url", "about:blank")).get("targetId").asText();
            this.session = call(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true))
                    .get("sessionId").asText();
            call(session, "Runtime.enable", Map.of());
            call(session, "Log.enable", Map.of());
            call(session, "Page.enable", Map.of());
        }

        /** Chromium on the PATH (Debian's chromium, or Google's), else null. */
        static Path find() {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
                for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
                    Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
                    if (Files.isExecutable(candidate)) {
                        return candidate;
                    }
                }
            }
            return null;
        }

        /** Loads {@code url} and waits until {@code condition} (JavaScript) holds there. */
        void open(String url, String condition) {
            forgetErrors();
            call(session, "Page.navigate", Map.of("url", url));
            await("location.href === " + quote(url) + " && document.readyState === 'complete' && (" + condition + ")");
        }

        /** Starts loading {@code url}, wherever it leads (a redirect); {@link #await} what should come. */
        void go(String url) {
            forgetErrors();
            call(session, "Page.navigate", Map.of("url", url));
        }

        /** The browser's cookies as DevTools sees them, with their flags (httpOnly, sameSite, …). */
        JsonNode cookies() {
            return call(session, "Network.getCookies", Map.of()).get("cookies");
        }

        /** Waits (at most {@value #SECONDS} s) until {@code condition} (JavaScript) is truthy in the page. */
        void await(String condition) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
            while (!truthy(condition)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("waited " + SECONDS + "s in Chromium for " + condition + "\npage text:\n"
                            + eval("document.body ? document.body.innerText : ''").asText() + "\nbrowser errors: "
                            + errors());
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
        }

        private boolean truthy(String expression) {
            JsonNode answer;
            try {
                answer = evaluate("!!(" + expression + ")");
            } catch (AssertionError e) {
                if (String.valueOf(e.getMessage()).contains("Inspected target navigated or closed")) {
                    return false; // the page navigated while the condition was evaluated: ask the next page
                }
                throw e;
            }
            return answer.get("exceptionDetails") == null && answer.get("result").path("value").asBoolean();
        }

        /** The value of {@code expression} (JavaScript) in the page, as JSON. */
        JsonNode eval(String expression) {
            JsonNode answer = evaluate(expression);
            if (answer.get("exceptionDetails") != null) {
                throw new AssertionError("JavaScript failed: " + expression + "\n" + answer.get("exceptionDetails"));
            }
            return answer.get("result").path("value");
        }

        private JsonNode evaluate(String expression) {
            return call(session, "Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
                    "awaitPromise", true));
        }

        String html() {
            return eval("document.documentElement.outerHTML").asText();
        }

        List<String> errors() {
            synchronized (errors) {
                return List.copyOf(errors);
            }
        }

        /** The errors so far, which the test expected: they are not reported after it. */
        List<String> forgetErrors() {
            synchronized (errors) {
                List<String> expected = List.copyOf(errors);
                errors.clear();
                return expected;
            }
        }

        /** Keeps a PNG of the page in {@code -Dhone.dashboard.screenshots=DIR}, when that is set. */
        void screenshot(String name) {
            keep(name, Map.of("format", "png", "captureBeyondViewport", true));
        }

        /**
         * Keeps a PNG of the element {@code selector} finds (the whole page scrolled to it) in
         * {@code -Dhone.dashboard.screenshots=DIR}, when that is set.
         */
        void screenshot(String name, String selector) {
            if (System.getProperty("hone.dashboard.screenshots") == null) {
                return;
            }
            JsonNode box = eval("(r => ({x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height}))"
                    + "(document.querySelector(" + quote(selector) + ").getBoundingClientRect())");
            keep(name, Map.of("format", "png", "captureBeyondViewport", true, "clip", Map.of(
                    "x", box.get("x").asDouble(), "y", box.get("y").asDouble(), "width", box.get("width").asDouble(),
                    "height", box.get("height").asDouble(), "scale", 1)));
        }

        private void keep(String name, Map<String, Object> how) {
            String dir = System.getProperty("hone.dashboard.screenshots");
            if (dir == null) {
                return;
            }
            JsonNode shot = call(session, "Page.captureScreenshot", how);
            try {
                Files.write(Files.createDirectories(Path.of(dir)).resolve(name + ".png"),
                        Base64.getDecoder().decode(shot.get("data").asText()));
            } catch (IOException e) {
                throw new AssertionError("cannot keep the screenshot in " + dir + ": " + e.getMessage(), e);
            }
        }

        /**
         * Counts the page's event streams from now on: every page (before its own scripts) keeps each EventSource it
         * makes in {@code window.honeSources}; {@link #OPEN_SOURCES} is how many are open.
         */
        void countEventSources() {
            call(session, "Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
                    window.honeSources = [];
                    window.EventSource = class extends window.EventSource {
                      constructor(...args) { super(...args); window.honeSources.push(this); }
                    };"""));
        }

        /** The event streams open in the page, their addresses (see {@link #countEventSources}). */
        static final String OPEN_SOURCES = "window.honeSources.filter(s => s.readyState !== EventSource.CLOSED)"
                + ".map(s => s.url.replace(location.origin, ''))";

        /**
         * Presses {@code key} ("Enter", "Tab", "Escape", " ", "Delete", "ArrowLeft", "ArrowRight", "ArrowUp",
         * "ArrowDown"; "Shift+" before any of them holds Shift) in the page, as a person's keyboard does.
         */
        void press(String key) {
            boolean shift = key.startsWith("Shift+");
            String name = shift ? key.substring("Shift+".length()) : key;
            Map<String, Object> code = switch (name) {
                case "Enter" -> Map.of("key", "Enter", "code", "Enter", "windowsVirtualKeyCode", 13, "text", "\r");
                case "Tab" -> Map.of("key", "Tab", "code", "Tab", "windowsVirtualKeyCode", 9);
                case "Escape" -> Map.of("key", "Escape", "code", "Escape", "windowsVirtualKeyCode", 27);
                case " " -> Map.of("key", " ", "code", "Space", "windowsVirtualKeyCode", 32, "text", " ");
                case "Delete" -> Map.of("key", "Delete", "code", "Delete", "windowsVirtualKeyCode", 46);
                case "ArrowLeft" -> Map.of("key", "ArrowLeft", "code", "ArrowLeft", "windowsVirtualKeyCode", 37);
                case "ArrowUp" -> Map.of("key", "ArrowUp", "code", "ArrowUp", "windowsVirtualKeyCode", 38);
                case "ArrowRight" -> Map.of("key", "ArrowRight", "code", "ArrowRight", "windowsVirtualKeyCode", 39);
                case "ArrowDown" -> Map.of("key", "ArrowDown", "code", "ArrowDown", "windowsVirtualKeyCode", 40);
                default -> throw new IllegalArgumentException("no key " + key + " here: Enter, Tab, Escape, \" \", "
                        + "Delete or an arrow, each with Shift+ or not");
            };
            java.util.HashMap<String, Object> down = new java.util.HashMap<>(code);
            if (shift) {
                down.put("modifiers", 8);
            }
            down.put("type", "keyDown");
            call(session, "Input.dispatchKeyEvent", down);
            java.util.HashMap<String, Object> up = new java.util.HashMap<>(code);
            up.put("type", "keyUp");
            up.remove("text");
            if (shift) {
                up.put("modifiers", 8);
            }
            call(session, "Input.dispatchKeyEvent", up);
        }

        /** Types {@code text} into the element that has the focus, as a keyboard would. */
        void type(String text) {
            call(session, "Input.insertText", Map.of("text", text));
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
                synchronized (this) {
                    socket.sendText(message.toString(), true).get(SECONDS, TimeUnit.SECONDS);
                }
                JsonNode reply = answer.get(SECONDS, TimeUnit.SECONDS);
                if (reply.get("error") != null) {
                    throw new AssertionError("Chromium refused " + method + ": " + reply.get("error"));
                }
                return reply.get("result");
            } catch (TimeoutException e) {
                throw new AssertionError("Chromium did not answer " + method + " within " + SECONDS + "s\n" + log());
            } catch (Exception e) {
                throw new AssertionError("Chromium failed " + method + ": " + e, e);
            } finally {
                pending.remove(id);
            }
        }

        private void received(String text) throws IOException {
            JsonNode message = JSON.readTree(text);
            if (message.has("id")) {
                CompletableFuture<JsonNode> answer = pending.get(message.get("id").asLong());
                if (answer != null) {
                    answer.complete(message);
                }
                return;
            }
            JsonNode params = message.path("params");
            String error = switch (message.path("method").asText()) {
                case "Runtime.exceptionThrown" -> params.path("exceptionDetails").toString();
                case "Runtime.consoleAPICalled" -> params.path("type").asText().equals("error")
                        ? params.path("args").toString() : null;
                case "Log.entryAdded" -> params.path("entry").path("level").asText().equals("error")
                        ? params.path("entry").path("text").asText() + " " + params.path("entry").path("url")
                        : null;
                default -> null;
            };
            if (error != null) {
                synchronized (errors) {
                    errors.add(error);
                }
            }
        }

        private final class Listener implements WebSocket.Listener {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    try {
                        received(text.toString());
                    } catch (IOException e) {
                        synchronized (errors) {
                            errors.add("unreadable DevTools message: " + e.getMessage());
                        }
                    }
                    text.setLength(0);
                }
                webSocket.request(1);
                return null;
            }
        }

        /** Presses Tab until {@code selector} has the focus (at most 80 times), as a keyboard user would. */
        void tabTo(String selector) {
            for (int i = 0; i < 80; i++) {
                if (eval("document.activeElement.matches(" + quote(selector) + ")").asBoolean()) {
                    return;
                }
                press("Tab");
            }
            throw new AssertionError("Tab never reached " + selector + "; the focus is on "
                    + eval("document.activeElement.outerHTML").asText());
        }

        /** {@code text} as a JavaScript string literal. */
        static String quote(String text) {
            try {
                return JSON.writeValueAsString(text);
            } catch (IOException e) {
                throw new IllegalArgumentException(e);
            }
        }

        private static List<String> lines(Path file) {
            try {
                return Files.readAllLines(file);
            } catch (IOException e) {
                return List.of();
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
            List<ProcessHandle> helpers = process.descendants().toList();
            try {
                call(null, "Browser.close", Map.of());
            } catch (AssertionError e) {
                // it may end before it answers
            }
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                for (ProcessHandle helper : helpers) {
                    try {
                        helper.onExit().get(5, TimeUnit.SECONDS);
                    } catch (TimeoutException | ExecutionException e) {
                        helper.destroyForcibly();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            socket.abort();
        }
    }
}
