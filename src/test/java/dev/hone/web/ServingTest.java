package dev.hone.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hone.run.RunStatus;
import dev.hone.server.GitFixture;
import dev.hone.server.QueuePolicy;
import dev.hone.server.Serve;
import dev.hone.testing.Docker;
import dev.hone.testing.Parts;
import dev.hone.testing.Ports;
import dev.hone.testing.ServeScript;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model a project serves ({@code serve:}), as the API and the dashboard show it: a real {@code hone serve} ran a
 * real repository's run in Docker, reached the target and deployed the best trial's model in a container behind its
 * port; a real headless Chromium reads the pages. The last test kills the container until Hone gives up on it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServingTest {

    static final ObjectMapper JSON = new ObjectMapper();
    /** A project name no other test's containers carry. */
    static final String PROJECT = "web-serving";
    static final String LABEL = "hone.deployment=" + PROJECT;
    /** In the serve container's environment (train.env): never in the API nor on a page. */
    static final String SECRET = "tok-web-serving-5c1d";

    @TempDir
    static Path tmp;
    Serve serve;
    DashboardTest.Chromium browser;
    int port;
    long run;

    @BeforeAll
    void deploy() throws Exception {
        Parts.requireDocker();
        Path chromium = DashboardTest.Chromium.find();
        Parts.require(chromium != null, "Chromium (apt-get install chromium; .ci/chromium.sh)");
        port = Ports.free();
        GitFixture repo = new GitFixture(tmp, PROJECT);
        repo.write("serve.py", ServeScript.PY).write("main.py", """
                import os
                open(os.path.join(os.environ["HONE_OUTPUT"], "model.txt"), "w").write("the served model")
                print("accuracy=0.97")
                """).write("hone.yaml", """
                train: {env: {API_TOKEN: %s}}
                environment: {executor: docker, image: hone/python}
                metric: {name: accuracy, target: 0.95}
                serve:
                  command: python3 serve.py
                  port: %d
                  health: /health
                  restart: {policy: on-failure, max_restarts: 1}
                """.formatted(SECRET, port)).commit("Serve it");
        repo.push("main");
        serve = new Serve(tmp.resolve("data"), List.of(Serve.webhooks(repo.url(), "s")), QueuePolicy.of(1));
        run = JSON.readTree(serve.post("/api/runs", "{\"project\": \"" + PROJECT + "\"}").body()).get("id").asLong();
        assertThat(serve.awaitRun(r -> r.id() == run && r.finishedAt() != null, 180).status())
                .isEqualTo(RunStatus.TARGET_REACHED);
        awaitServing(s -> s.path("state").asText().equals("serving"), "the model serving");
        browser = new DashboardTest.Chromium(chromium, Files.createDirectories(tmp.resolve("chromium")));
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (serve != null) {
            serve.close();
        }
        for (String id : Docker.run("ps", "-aq", "--filter", "label=" + LABEL).lines().toList()) {
            Docker.run("rm", "-f", id);
        }
    }

    @AfterEach
    void pagesShowNoSecretNorFailInTheBrowser() {
        if (browser != null) {
            assertThat(browser.html()).doesNotContain(SECRET, Serve.TOKEN);
            assertThat(browser.errors()).as("errors in the browser's console").isEmpty();
        }
    }

    @Test
    @Order(1)
    void theProjectsListSaysWhichRunAndTrialServeOnWhichPort() throws Exception {
        HttpResponse<String> answer = serve.get("/api/projects");
        JsonNode serving = JSON.readTree(answer.body()).get("items").get(0).get("serving");

        List<String> running = Docker.run("ps", "-q", "--no-trunc", "--filter", "label=" + LABEL).lines().toList();
        assertThat(running).hasSize(1);
        assertThat(serving.fieldNames()).toIterable()
                .containsExactly("run", "trial", "port", "state", "restarts", "container", "detail", "since");
        assertThat(serving.get("run").asLong()).isEqualTo(run);
        assertThat(serving.get("trial").asInt()).isEqualTo(1);
        assertThat(serving.get("port").asInt()).isEqualTo(port);
        assertThat(serving.get("state").asText()).isEqualTo("serving");
        assertThat(serving.get("restarts").asInt()).isZero();
        assertThat(serving.get("container").asText()).isEqualTo(running.get(0).substring(0, 12));
        assertThat(serving.get("detail").isNull()).isTrue();
        assertThat(Instant.parse(serving.get("since").asText()))
                .isBetween(serve.store.run(run).orElseThrow().createdAt(), Instant.now());
        assertThat(answer.body()).doesNotContain(SECRET);
        assertThat(get(port, "/predict")).isEqualTo("the served model");
    }

    @Test
    @Order(2)
    void theProjectIsItsLatestRunAndTheModelItServes() throws Exception {
        HttpResponse<String> answer = serve.get("/api/projects/" + PROJECT);

        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode project = JSON.readTree(answer.body());
        assertThat(project.fieldNames()).toIterable().containsExactly("name", "latest_run", "serving");
        assertThat(project.get("name").asText()).isEqualTo(PROJECT);
        assertThat(project.get("latest_run").get("id").asLong()).isEqualTo(run);
        assertThat(project.get("latest_run").get("status").asText()).isEqualTo("target_reached");
        assertThat(project.get("serving")).isEqualTo(JSON.readTree(serve.get("/api/projects").body())
                .get("items").get(0).get("serving"));
    }

    @Test
    @Order(3)
    void anUnknownProjectIsA404ThatSaysWhereTheProjectsAre() {
        HttpResponse<String> answer = serve.get("/api/projects/nope");

        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(answer.body()).isEqualTo("{\"error\":\"no project nope: a project appears with its first run; "
                + "GET /api/projects lists them\"}");
    }

    @Test
    @Order(4)
    void theProjectPageSaysWhatServesWhereAndTheProjectsListHasABadge() {
        browser.open(serve.base + "/projects/" + PROJECT, "document.querySelector('.serving-what')");

        assertThat(browser.eval("document.querySelector('.serving-what').textContent").asText())
                .isEqualTo("serving run " + run + " trial 1 on :" + port + " · serving · 0 restarts");
        assertThat(browser.eval("document.querySelector('.serving-detail') === null").asBoolean()).isTrue();
        assertThat(browser.eval("document.querySelector('.serving-panel code').textContent").asText())
                .isEqualTo(Docker.run("ps", "-q", "--filter", "label=" + LABEL));
        browser.screenshot("serving");

        browser.open(serve.base + "/", "document.querySelector('main tbody tr .badge.serve')");

        assertThat(browser.eval("document.querySelector('main tbody tr td').textContent").asText())
                .isEqualTo(PROJECT + " serving :" + port);
        assertThat(browser.eval("document.querySelector('.badge.serve').getAttribute('title')").asText())
                .startsWith("serving run " + run + " trial 1 on :" + port + " · serving · 0 restarts\ncontainer ");
        browser.screenshot("serving-badge");
    }

    @Test
    @Order(5)
    void aModelHoneGaveUpOnSaysWhyInTheApiAndOnThePage() throws Exception {
        String first = Docker.run("ps", "-q", "--filter", "label=" + LABEL);
        Docker.run("kill", first);
        JsonNode restarted = awaitServing(s -> s.path("restarts").asInt() == 1
                && s.path("state").asText().equals("serving"), "the model restarted once");
        assertThat(restarted.get("container").asText()).isNotEqualTo(first);

        Docker.run("kill", restarted.get("container").asText());
        JsonNode gaveUp = awaitServing(s -> s.path("state").asText().equals("gave_up"), "Hone giving up");

        assertThat(gaveUp.get("run").asLong()).isEqualTo(run);
        assertThat(gaveUp.get("restarts").asInt()).isEqualTo(1);
        assertThat(gaveUp.get("container").isNull()).as("the container was removed: %s", gaveUp).isTrue();
        assertThat(gaveUp.get("since").isNull()).as("nothing serves since: %s", gaveUp).isTrue();
        assertThat(gaveUp.get("detail").asText()).isEqualTo("exit 137, killed by SIGKILL; it stopped again after 1 "
                + "restart in a row (max_restarts: 1)");
        browser.open(serve.base + "/projects/" + PROJECT, "document.querySelector('.serving-detail')");
        assertThat(browser.eval("document.querySelector('.serving-what').textContent").asText())
                .isEqualTo("model of run " + run + " trial 1 on :" + port + " · gave up · 1 restart");
        assertThat(browser.eval("document.querySelector('.serving-detail').textContent").asText())
                .isEqualTo(gaveUp.get("detail").asText());
        browser.screenshot("gave-up");
    }

    /** Waits (at most 90 s) until the project's {@code serving} matches; returns it. */
    JsonNode awaitServing(Predicate<JsonNode> match, String what) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        JsonNode serving = null;
        while (System.nanoTime() < deadline) {
            serving = JSON.readTree(serve.get("/api/projects/" + PROJECT).body()).path("serving");
            if (!serving.isNull() && match.test(serving)) {
                return serving;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        throw new AssertionError("waited 90s for " + what + "; serving: " + serving + "\nserver output:\n"
                + serve.output());
    }

    /** GET through the port Hone serves the model on. */
    static String get(int port, String path) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest
                .newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return answer.body();
    }
}
