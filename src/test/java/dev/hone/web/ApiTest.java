package dev.hone.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hone.metrics.MetricPoint;
import dev.hone.run.RunStatus;
import dev.hone.server.GitFixture;
import dev.hone.server.QueuePolicy;
import dev.hone.server.Serve;
import dev.hone.store.NewRun;
import dev.hone.tune.Trial;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST API of DESIGN §1 on a real server with a real repository. */
class ApiTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    GitFixture repo;
    Serve serve;

    @BeforeEach
    void start() throws Exception {
        repo = new GitFixture(tmp, "digits");
        repo.write("main.py", """
                import time
                for step in range(1, 4):
                    print(f"step={step} accuracy=0.{step}", flush=True)
                    time.sleep(0.4)
                print("accuracy=0.9")
                """).write("hone.yaml", "metric: {name: accuracy, target: 0.8}\n").commit("Start");
        repo.push("main");
        serve = new Serve(tmp.resolve("data"), List.of(Serve.webhooks(repo.url(), "s")), QueuePolicy.of(2));
    }

    @AfterEach
    void stop() {
        serve.close();
    }

    JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    long runToEnd() throws Exception {
        long id = json(serve.post("/api/runs", "{\"project\": \"digits\"}")).get("id").asLong();
        serve.awaitRun(r -> r.id() == id && r.finishedAt() != null, 30);
        return id;
    }

    @Test
    void writeEndpointsNeedTheBearerToken() throws Exception {
        HttpResponse<String> none = serve.post("/api/runs", "{\"project\": \"digits\"}", new String[0]);
        HttpResponse<String> wrong = serve.post("/api/runs", "{\"project\": \"digits\"}",
                "Authorization", "Bearer nope");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).isEqualTo("{\"error\":\"this endpoint needs the API token: send Authorization: "
                + "Bearer <token>\"}");
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(serve.store.runs(null, 10, 0)).isEmpty();
        assertThat(serve.get("/api/runs").statusCode()).as("reads are open").isEqualTo(200);
    }

    @Test
    void triggersARunAndShowsItWithItsTrialsEventsAndLog() throws Exception {
        long id = runToEnd();
        JsonNode run = json(serve.get("/api/runs/" + id));
        assertThat(run.get("id").asLong()).isEqualTo(id);
        assertThat(run.get("status").asText()).isEqualTo("target_reached");
        assertThat(run.get("live").asBoolean()).as("ended: the dashboard stops refreshing").isFalse();
        assertThat(run.get("project").asText()).isEqualTo("digits");
        assertThat(run.get("commit").asText()).hasSize(40);
        assertThat(run.get("metric").toString()).isEqualTo("{\"name\":\"accuracy\",\"direction\":\"maximize\","
                + "\"target\":0.8,\"target_sign\":\"≥\"}");
        assertThat(run.get("best").get("value").asDouble()).isEqualTo(0.9);
        assertThat(run.get("trials").get(0).get("state").asText()).isEqualTo("succeeded");

        JsonNode trials = json(serve.get("/api/runs/" + id + "/trials"));
        assertThat(trials.get(0).get("intermediate")).hasSize(3);
        JsonNode events = json(serve.get("/api/runs/" + id + "/events"));
        assertThat(events.get(0).get("type").asText()).isEqualTo("target_reached");

        HttpResponse<String> log = serve.get("/api/runs/" + id + "/logs?trial=1");
        assertThat(log.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
        assertThat(log.body()).contains("step=1 accuracy=0.1\n").contains("accuracy=0.9\n");
    }

    @Test
    void streamsTheLogOfARunningTrialAsServerSentEvents() throws Exception {
        long id = json(serve.post("/api/runs", "{\"project\": \"digits\"}")).get("id").asLong();
        serve.awaitRun(r -> r.id() == id && r.status() == RunStatus.RUNNING, 20);
        assertThat(json(serve.get("/api/runs/" + id)).get("live").asBoolean()).isTrue();
        assertThat(json(serve.get("/api/runs")).get("items").get(0).get("live").asBoolean()).isTrue();
        HttpResponse<Stream<String>> stream = HttpClient.newHttpClient().send(HttpRequest
                        .newBuilder(URI.create(serve.base + "/api/runs/" + id + "/logs?trial=1"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(stream.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        String events = stream.body().collect(Collectors.joining("\n"));
        assertThat(events).contains("data: step=1 accuracy=0.1\n", "data: step=3 accuracy=0.3\n",
                "data: accuracy=0.9\n");
        assertThat(events).as("the trial's end, or the run's when it came in the same second")
                .containsAnyOf("event: trial_end\ndata: succeeded", "event: end\ndata: target_reached");
    }

    @Test
    void listsRunsNewestFirstInPagesAndProjectsWithTheirLatestRun() throws Exception {
        runToEnd();
        runToEnd();
        JsonNode page = json(serve.get("/api/runs?project=digits&limit=1"));
        assertThat(page.get("items")).hasSize(1);
        assertThat(page.get("items").get(0).get("id").asLong()).isEqualTo(2);
        assertThat(page.get("next_offset").asInt()).isEqualTo(1);
        JsonNode last = json(serve.get("/api/runs?limit=1&offset=1"));
        assertThat(last.get("items").get(0).get("id").asLong()).isEqualTo(1);
        assertThat(last.get("next_offset").isNull()).isTrue();
        assertThat(last.get("items").get(0).fieldNames()).toIterable().contains("id", "project", "commit", "branch",
                "status", "live", "best", "created_at", "finished_at");
        assertThat(last.get("items").get(0).get("live").asBoolean()).isFalse();

        JsonNode projects = json(serve.get("/api/projects"));
        assertThat(projects.get("items").get(0).get("name").asText()).isEqualTo("digits");
        assertThat(projects.get("items").get(0).get("latest_run").get("id").asLong()).isEqualTo(2);
        assertThat(projects.get("items").get(0).get("serving").isNull()).as("no serve: block, no model").isTrue();
        JsonNode project = json(serve.get("/api/projects/digits"));
        assertThat(project.fieldNames()).toIterable().containsExactly("name", "latest_run", "serving");
        assertThat(project.get("latest_run").get("id").asLong()).isEqualTo(2);
        assertThat(project.get("serving").isNull()).isTrue();
    }

    @Test
    void pagesTheTrialsOfARunWhenAskedAndListsThemAllOtherwise() throws Exception {
        long id = serve.store.createRun(new NewRun("digits", repo.url(), null, null, null, null, null,
                Instant.parse("2026-01-01T00:00:00Z")));
        for (int n = 1; n <= 5; n++) {
            serve.store.saveTrial(id, Trial.succeeded(n, Map.of("c", n), 0.1 * n,
                    List.of(new MetricPoint(1, 0.05 * n), new MetricPoint(2, 0.1 * n)), 10),
                    Instant.parse("2026-01-01T00:00:00Z"), null);
        }

        JsonNode first = json(serve.get("/api/runs/" + id + "/trials?limit=2"));
        assertThat(first.fieldNames()).toIterable().containsExactly("items", "limit", "offset", "next_offset");
        assertThat(first.get("items").findValues("number")).extracting(JsonNode::asInt).containsExactly(1, 2);
        assertThat(first.get("items").get(1).get("intermediate").get(1).get("value").asDouble()).isEqualTo(0.2);
        assertThat(first.get("next_offset").asInt()).isEqualTo(2);
        JsonNode last = json(serve.get("/api/runs/" + id + "/trials?limit=2&offset=4"));
        assertThat(last.get("items").findValues("number")).extracting(JsonNode::asInt).containsExactly(5);
        assertThat(last.get("next_offset").isNull()).isTrue();
        JsonNode all = json(serve.get("/api/runs/" + id + "/trials"));
        assertThat(all.isArray()).as("without paging, the list as before").isTrue();
        assertThat(all).hasSize(5);
        assertThat(serve.get("/api/runs/" + id + "/trials?limit=501").body())
                .isEqualTo("{\"error\":\"limit must be between 1 and 500, got 501\"}");
    }

    @Test
    void errorsAreJson() throws Exception {
        assertThat(serve.get("/api/runs/99").body()).isEqualTo("{\"error\":\"no run 99\"}");
        HttpResponse<String> project = serve.get("/api/projects/other");
        assertThat(project.statusCode()).isEqualTo(404);
        assertThat(project.body()).isEqualTo("{\"error\":\"no project other: a project appears with its first run; "
                + "GET /api/projects lists them\"}");
        assertThat(serve.get("/api/nothing").body()).isEqualTo("{\"error\":\"Endpoint GET /api/nothing not found\"}");
        assertThat(serve.get("/api/runs?limit=0").body())
                .isEqualTo("{\"error\":\"limit must be between 1 and 500, got 0\"}");
        HttpResponse<String> unknown = serve.post("/api/runs", "{\"project\": \"other\"}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).startsWith("{\"error\":\"no watched repository runs project other: ");
        HttpResponse<String> malformed = serve.post("/api/runs", "{\"project\": ");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(json(malformed).get("error").asText()).startsWith("the request body is not what this endpoint "
                + "takes: not valid JSON (");
        assertThat(serve.post("/api/runs", "{\"projct\": \"digits\"}").body()).isEqualTo("{\"error\":\"the request "
                + "body is not what this endpoint takes: unknown field \\\"projct\\\" — did you mean \\\"project\\\"?\"}");
        assertThat(serve.post("/api/runs", "{\"project\": [\"digits\"]}").body()).isEqualTo("{\"error\":\"the "
                + "request body is not what this endpoint takes: \\\"project\\\" must be a string\"}");
        assertThat(serve.post("/api/runs", "[]").body())
                .isEqualTo("{\"error\":\"the request body must be a JSON object\"}");
        assertThat(serve.post("/api/runs", "{\"project\": \"digits\", \"commit\": \"xyz\"}").body())
                .isEqualTo("{\"error\":\"commit must be a SHA of 7 to 40 hex digits, got \\\"xyz\\\"\"}");
    }

    @Test
    void healthAndMetrics() throws Exception {
        runToEnd();
        assertThat(serve.get("/health").body()).isEqualTo("{\"status\":\"ok\"}");
        assertThat(serve.get("/").body()).contains("<title>Hone</title>", "<script src=\"/app.js\" defer></script>");
        String metrics = serve.get("/metrics").body();
        assertThat(metrics).contains("hone_queue_depth 0.0", "hone_runs{status=\"target_reached\"} 1.0",
                "hone_trial_duration_seconds_count{state=\"succeeded\"} 1");
    }

    @Test
    void repositoriesComeAndGoThroughTheApi() throws Exception {
        HttpResponse<String> added = serve.post("/api/repositories", """
                {"url": "/srv/git/vision.git", "branches": ["main", "release/*"], "poll": "5m",
                 "webhook_secret_env": "VISION_HOOK_SECRET"}""");
        assertThat(added.statusCode()).isEqualTo(201);
        JsonNode item = json(added);
        assertThat(item.get("poll").asText()).isEqualTo("5m");
        assertThat(item.get("configured").asBoolean()).isFalse();
        JsonNode all = json(serve.get("/api/repositories"));
        assertThat(all).hasSize(2);
        assertThat(all.get(0).get("configured").asBoolean()).isTrue();

        HttpResponse<String> secretInline = serve.post("/api/repositories",
                "{\"url\": \"https://bot:tok@example.com/a.git\"}");
        assertThat(secretInline.statusCode()).isEqualTo(400);
        assertThat(secretInline.body()).contains("must not hold a password").doesNotContain("tok@");
        assertThat(serve.post("/api/repositories", "{\"url\": \"/srv/git/vision.git\"}").statusCode())
                .isEqualTo(409);

        HttpResponse<String> removed = serve.send(HttpRequest.newBuilder(URI.create(serve.base
                + "/api/repositories/" + item.get("id").asLong())).DELETE()
                .header("Authorization", "Bearer " + Serve.TOKEN));
        assertThat(removed.statusCode()).isEqualTo(204);
        assertThat(json(serve.get("/api/repositories"))).hasSize(1);
    }
}
