package dev.hone.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hone.run.RunStatus;
import dev.hone.server.GitFixture;
import dev.hone.server.QueuePolicy;
import dev.hone.server.Serve;
import dev.hone.store.TrialRow;
import dev.hone.tune.Trial;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/runs/{id}/rerun} against a real {@code hone serve} and a real git repository: a run made again
 * with one parameter fixed trains with that value in every trial, one with a new range searches it, the new run says
 * what it changed, and every bad change is refused before anything is queued, saying what, where and what to give.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RerunApiTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    Serve serve;
    long original;

    @BeforeAll
    void start() throws Exception {
        GitFixture repo = new GitFixture(tmp, "tuned");
        serve = new Serve(tmp.resolve("data"), List.of(Serve.webhooks(repo.url(), "s")), QueuePolicy.of(1));
        original = trained(serve, repo);
    }

    /**
     * Commits and pushes to {@code repo} a project "tuned" that tunes lr (a float, log scale, 0.001 to 0.1), depth
     * (an integer, 1 to 4) and kernel (rbf or poly) in 3 random trials, run on this machine; runs it and waits for
     * its end; returns its id.
     */
    static long trained(Serve serve, GitFixture repo) throws Exception {
        repo.write("main.py", """
                import os
                lr = float(os.environ["HONE_PARAM_LR"])
                depth = int(os.environ["HONE_PARAM_DEPTH"])
                print("accuracy=%.4f" % (0.5 + lr + 0.01 * depth))
                """).write("hone.yaml", """
                environment: {executor: local}
                metric: {name: accuracy}
                tune:
                  strategy: random
                  params:
                    lr: {min: 0.001, max: 0.1, log: true}
                    depth: {min: 1, max: 4, type: int}
                    kernel: [rbf, poly]
                  max_trials: 3
                """);
        String sha = repo.commit("Tune lr, depth and kernel");
        repo.push("main");
        long id = JSON.readTree(serve.post("/api/runs", "{\"project\": \"tuned\", \"commit\": \"" + sha + "\"}")
                .body()).get("id").asLong();
        serve.awaitRun(r -> r.id() == id && r.finishedAt() != null, 60);
        return id;
    }

    @AfterAll
    void stop() {
        if (serve != null) {
            serve.close();
        }
    }

    @Test
    void aReRunWithOneParameterFixedTrainsEveryTrialWithItAndSaysSo() throws Exception {
        long id = queued(serve.post("/api/runs/" + original + "/rerun", "{\"set\": {\"lr\": 0.01}}"));
        assertThat(serve.awaitRun(r -> r.id() == id && r.finishedAt() != null, 60).status())
                .isEqualTo(RunStatus.SUCCEEDED);

        List<Map<String, Object>> params = serve.store.trials(id).stream().map(TrialRow::trial).map(Trial::params)
                .toList();
        assertThat(params).hasSize(3).allSatisfy(p -> {
            assertThat(p).containsEntry("lr", 0.01);
            assertThat(((Number) p.get("depth")).longValue()).isBetween(1L, 4L);
            assertThat(p.get("kernel")).isIn("rbf", "poly");
        });
        JsonNode run = JSON.readTree(serve.get("/api/runs/" + id).body());
        assertThat(run.get("rerun").get("text").asText()).isEqualTo("re-run of run " + original + " with lr = 0.01");
        assertThat(run.get("rerun").get("of").asLong()).isEqualTo(original);
        assertThat(run.get("rerun").get("set").get("lr").asDouble()).isEqualTo(0.01);
        assertThat(run.get("commit").asText()).isEqualTo(JSON.readTree(serve.get("/api/runs/" + original).body())
                .get("commit").asText());
        assertThat(JSON.readTree(serve.get("/api/runs/" + original).body()).get("rerun").isNull()).isTrue();

        long again = queued(serve.post("/api/runs/" + id + "/rerun", "{\"set\": {\"depth\": 3}}"));
        serve.awaitRun(r -> r.id() == again && r.finishedAt() != null, 60);
        // lr and depth fixed, kernel of two: two distinct trials are all the space holds
        assertThat(serve.store.trials(again)).isNotEmpty().allSatisfy(t -> assertThat(t.trial().params())
                .containsEntry("lr", 0.01).containsEntry("depth", 3L));
        assertThat(JSON.readTree(serve.get("/api/runs/" + again).body()).get("rerun").get("text").asText())
                .as("a re-run of a re-run keeps its change").isEqualTo("re-run of run " + id + " with lr = 0.01, depth = 3");
    }

    @Test
    void aReRunWithANewRangeSearchesItAndOneWithNoChangesIsTheSameSearch() throws Exception {
        long ranged = queued(serve.post("/api/runs/" + original + "/rerun",
                "{\"set\": {\"depth\": {\"min\": 6, \"max\": 7}, \"kernel\": [\"sigmoid\"]}}"));
        serve.awaitRun(r -> r.id() == ranged && r.finishedAt() != null, 60);
        assertThat(serve.store.trials(ranged)).hasSize(3).allSatisfy(t -> {
            assertThat(((Number) t.trial().params().get("depth")).longValue()).isBetween(6L, 7L);
            assertThat(t.trial().params()).containsEntry("kernel", "sigmoid");
        });
        assertThat(JSON.readTree(serve.get("/api/runs/" + ranged).body()).get("rerun").get("text").asText())
                .isEqualTo("re-run of run " + original + " with depth from 6 to 7, kernel in [sigmoid]");

        long same = queued(serve.post("/api/runs/" + original + "/rerun", "{}"));
        serve.awaitRun(r -> r.id() == same && r.finishedAt() != null, 60);
        JsonNode run = JSON.readTree(serve.get("/api/runs/" + same).body());
        assertThat(run.get("rerun").get("text").asText()).isEqualTo("re-run of run " + original);
        assertThat(run.get("search_space").toString()).isEqualTo("[{\"name\":\"lr\",\"type\":\"float\",\"min\":0.001,"
                + "\"max\":0.1,\"log\":true},{\"name\":\"depth\",\"type\":\"int\",\"min\":1,\"max\":4,\"log\":false},"
                + "{\"name\":\"kernel\",\"type\":\"categorical\",\"choices\":[\"rbf\",\"poly\"]}]");
    }

    @Test
    void badChangesAreRefusedSayingWhatWhereAndWhatToGive() {
        String at = "re-run of run " + original + ": ";
        refused("{\"set\": {\"lrr\": 0.01}}", at + "tune.params has no parameter \"lrr\" — did you mean \"lr\"?");
        refused("{\"set\": {\"momentum\": 0.9}}", at + "tune.params has no parameter \"momentum\" — its parameters: lr, "
                + "depth, kernel");
        refused("{\"set\": {\"lr\": \"fast\"}}", at + "tune.params.lr is a number from 0.001 to 0.1: give a number, "
                + "got \"fast\"");
        refused("{\"set\": {\"lr\": 0.5}}", at + "tune.params.lr = 0.5 is outside its range, 0.001 to 0.1: give a "
                + "value in it, or a new range: {\"lr\": {\"min\": 0.001, \"max\": 0.5}}");
        refused("{\"set\": {\"depth\": 2.5}}", at + "tune.params.depth is a whole number from 1 to 4: give a whole "
                + "number, got 2.5");
        refused("{\"set\": {\"kernel\": \"sigmoid\"}}", at + "tune.params.kernel = \"sigmoid\" is not one of its "
                + "choices [rbf, poly]: give one of them, or new choices: {\"kernel\": [\"rbf\", \"poly\", "
                + "\"sigmoid\"]}");
        refused("{\"set\": {\"lr\": {\"min\": 0, \"max\": 0.5}}}", at + "tune.params.lr is searched on a log scale: "
                + "min must be greater than 0, got 0");
        refused("{\"set\": {\"depth\": {\"min\": 5, \"max\": 2}}}", at + "tune.params.depth: a range needs min less "
                + "than max, got min 5 and max 2");
        refused("{\"set\": {\"kernel\": {\"min\": 1, \"max\": 2}}}", at + "tune.params.kernel is one of [rbf, poly]: "
                + "give one of its choices, or a list of new choices, not a range");
        refused("{\"set\": {\"lr\": {\"low\": 0.01}}}", at + "set.lr: a new range is {\"min\": NUMBER, \"max\": "
                + "NUMBER}, got {\"low\":0.01}");
        refused("{\"set\": 3}", at + "set must be an object of parameter names and values, e.g. {\"set\": {\"lr\": "
                + "0.01}}, got 3");
        assertThat(serve.store.runs(null, 1000, 0).stream().filter(r -> r.status() == RunStatus.QUEUED)).isEmpty();
    }

    @Test
    void aReRunNeedsAWriteTokenAndAnExistingRun() {
        assertThat(serve.post("/api/runs/" + original + "/rerun", "{}", "Content-Type", "application/json")
                .statusCode()).isEqualTo(401);
        HttpResponse<String> none = serve.post("/api/runs/9999/rerun", "{}");
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(error(none)).isEqualTo("no run 9999");
    }

    private long queued(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body()).get("id").asLong();
    }

    private void refused(String body, String message) {
        HttpResponse<String> response = serve.post("/api/runs/" + original + "/rerun", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(error(response)).isEqualTo(message);
    }

    private static String error(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body()).get("error").asText();
        } catch (Exception e) {
            throw new AssertionError(response.body(), e);
        }
    }
}
