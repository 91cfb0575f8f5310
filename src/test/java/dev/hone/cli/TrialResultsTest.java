package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hone.run.RunStatus;
import dev.hone.server.GitFixture;
import dev.hone.server.QueuePolicy;
import dev.hone.server.Serve;
import dev.hone.store.TrialRow;
import dev.hone.tune.TrialState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a run's trials say of themselves, read through every door (the summary, {@code hone trials}, {@code hone runs},
 * the REST API): every metric a trial prints, the constraints that disqualify a trial, trials stopped because another
 * reached the target, the best so far while the run is live, and who cancelled a run.
 */
class TrialResultsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    static Path project(Path dir, String hone, String mainPy) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("hone.yaml"), hone);
        Files.writeString(dir.resolve("main.py"), mainPy);
        return dir;
    }

    /** Python that waits (at most a minute) until {@code gate} exists. */
    static String waitFor(Path gate) throws IOException {
        return "import pathlib, time\ngate, deadline = pathlib.Path(" + JSON.writeValueAsString(gate.toString())
                + "), time.time() + 60\nwhile not gate.exists() and time.time() < deadline:\n    time.sleep(0.05)\n";
    }

    @Test
    void everyMetricATrialPrintsIsRecordedAndATrialThatBreaksAConstraintIsNeitherTheBestNorOnTarget()
            throws IOException {
        Path dir = project(home.resolve("digits"), """
                metric: {name: accuracy, target: 0.95, constraints: ["latency_ms <= 50"]}
                tune: {strategy: grid, params: {size: [1, 2]}, max_trials: 2}
                """, """
                import os
                size = int(os.environ["HONE_PARAM_SIZE"])
                for epoch in (1, 2):
                    print(f"epoch={epoch} loss={0.5 / epoch / size} accuracy={0.8 + 0.05 * epoch}")
                print(f"accuracy={0.97 if size == 2 else 0.93} f1=0.91")
                print(f"latency_ms={80 if size == 2 else 42}")
                """);
        Cli cli = new Cli(home);
        Path out = home.resolve("out.json");

        int code = cli.run("run", dir.toString(), "--executor", "local", "--json", out.toString());

        assertThat(code).as("0.97 breaks latency_ms <= 50, 0.93 misses 0.95: " + cli.out() + cli.err()).isEqualTo(1);
        JsonNode summary = JSON.readTree(out.toFile());
        assertThat(summary.get("status").asText()).isEqualTo("target_missed");
        JsonNode fast = trialWithParam(summary, 1);
        JsonNode slow = trialWithParam(summary, 2);
        assertThat(summary.get("best").get("trial").asInt()).as("the fast one, though 0.97 > 0.93")
                .isEqualTo(fast.get("number").asInt());
        assertThat(fast.get("metrics").toString())
                .isEqualTo("{\"accuracy\":0.93,\"f1\":0.91,\"latency_ms\":42.0,\"loss\":0.25}");
        assertThat(fast.get("error").isNull()).isTrue();
        assertThat(slow.get("state").asText()).isEqualTo("succeeded");
        assertThat(slow.get("metrics").toString())
                .isEqualTo("{\"accuracy\":0.97,\"f1\":0.91,\"latency_ms\":80.0,\"loss\":0.125}");
        assertThat(slow.get("error").asText()).isEqualTo("breaks latency_ms <= 50: latency_ms was 80: it does not "
                + "count towards the target nor as the best");

        assertThat(cli.run("trials", "--data", cli.data().toString())).isZero();
        assertThat(cli.out())
                .contains("       metrics: accuracy=0.93 f1=0.91 latency_ms=42 loss=0.25\n")
                .contains("       metrics: accuracy=0.97 f1=0.91 latency_ms=80 loss=0.125\n"
                        + "       breaks latency_ms <= 50: latency_ms was 80: it does not count towards the target nor"
                        + " as the best\n");
    }

    private static JsonNode trialWithParam(JsonNode summary, int size) {
        for (JsonNode t : summary.get("trials")) {
            if (t.get("params").get("size").asInt() == size) {
                return t;
            }
        }
        throw new AssertionError("no trial with size " + size + " in " + summary);
    }

    @Test
    void trialsStoppedBecauseAnotherReachedTheTargetAreStoppedNotFailed() throws IOException {
        Path dir = project(home.resolve("race"), """
                metric: {name: accuracy, target: 0.9}
                tune: {strategy: grid, params: {c: [1, 2]}, max_trials: 2, parallel: 2}
                """, waitFor(home.resolve("never")).replace("while not", """
                import os
                if os.environ["HONE_TRIAL"] == "2":
                    print("accuracy=0.95", flush=True)
                    raise SystemExit(0)
                while not""") + "print('accuracy=0.5')\n");
        Cli cli = new Cli(home);
        Path out = home.resolve("out.json");

        int code = cli.run("run", dir.toString(), "--executor", "local", "--json", out.toString());

        assertThat(code).as(cli.out() + cli.err()).isZero();
        assertThat(cli.out()).contains("trial 1/2  stopped: target reached by trial 2").doesNotContain("killed");
        JsonNode summary = JSON.readTree(out.toFile());
        JsonNode first = summary.get("trials").get(0);
        assertThat(first.get("state").asText()).isEqualTo("stopped");
        assertThat(first.get("error").asText()).isEqualTo("target reached by trial 2");
        assertThat(summary.get("events")).hasSize(1);
        assertThat(summary.get("events").get(0).get("type").asText()).isEqualTo("target_reached");

        assertThat(cli.run("trials", "--data", cli.data().toString())).isZero();
        assertThat(cli.out()).containsPattern("(?m)^    1  stopped .*\n       target reached by trial 2\n");
    }

    @Test
    void aLiveRunShowsItsBestTheMomentATrialEndsAndACancelledOneSaysWhoCancelledIt() throws Exception {
        Path gate = home.resolve("gate");
        GitFixture repo = new GitFixture(home, "digits");
        repo.write("main.py", waitFor(gate).replace("while not", """
                import os
                if os.environ["HONE_TRIAL"] == "1":
                    print("accuracy=0.6 f1=0.5", flush=True)
                    raise SystemExit(0)
                while not""") + "print('accuracy=0.7')\n").write("hone.yaml", """
                metric: {name: accuracy, target: 0.99}
                tune: {strategy: grid, params: {c: [1, 2, 3]}, max_trials: 3}
                """).commit("Start");
        repo.push("main");
        try (Serve serve = new Serve(home.resolve("data"), List.of(Serve.webhooks(repo.url(), "s")),
                QueuePolicy.of(1))) {
            long id = JSON.readTree(serve.post("/api/runs", "{\"project\": \"digits\"}").body()).get("id").asLong();
            // trial 2 starts only once the study has taken trial 1's end, and recorded the best so far
            Serve.await(() -> serve.store.trials(id).stream().anyMatch(t -> t.trial().number() == 2
                    && t.trial().state() == TrialState.RUNNING), 30, "trial 2 to start");

            JsonNode run = JSON.readTree(serve.get("/api/runs/" + id).body());
            assertThat(run.get("status").asText()).isEqualTo("running");
            assertThat(run.get("best").get("trial").asInt()).isEqualTo(1);
            assertThat(run.get("best").get("value").asDouble()).isEqualTo(0.6);
            assertThat(run.get("trials").get(0).get("metrics").toString()).isEqualTo("{\"accuracy\":0.6,\"f1\":0.5}");
            assertThat(JSON.readTree(serve.get("/api/runs").body()).get("items").get(0).get("best").toString())
                    .isEqualTo("{\"trial\":1,\"value\":0.6}");
            JsonNode trials = JSON.readTree(serve.get("/api/runs/" + id + "/trials").body());
            assertThat(trials.get(0).get("metrics").toString()).isEqualTo("{\"accuracy\":0.6,\"f1\":0.5}");
            Cli cli = new Cli(home);
            assertThat(cli.run("runs", "--data", serve.data.toString())).isZero();
            assertThat(cli.out()).containsPattern("(?m)^" + id + " +digits +running +0\\.6000 \\(#1\\) ");

            assertThat(serve.post("/api/runs/" + id + "/cancel", "").body())
                    .isEqualTo("{\"id\":" + id + ",\"status\":\"cancelling\"}");
            serve.awaitRun(r -> r.id() == id && r.status() == RunStatus.CANCELLED, 30);

            JsonNode cancelled = JSON.readTree(serve.get("/api/runs/" + id).body());
            assertThat(cancelled.get("cancelled_by").asText()).isEqualTo("api_token");
            assertThat(cancelled.get("cancelled_at").asText()).isNotEmpty();
            assertThat(cancelled.get("best").get("trial").asInt()).isEqualTo(1);
            JsonNode events = JSON.readTree(serve.get("/api/runs/" + id + "/events").body());
            assertThat(events.get(0).get("type").asText()).isEqualTo("cancelled");
            assertThat(events.get(0).get("message").asText())
                    .isEqualTo("cancelled through the API by api_token while it ran; its trials were stopped");
            assertThat(serve.store.trials(id)).extracting(t -> t.trial().state()).as("cancelled, not stopped")
                    .containsExactly(TrialState.SUCCEEDED, TrialState.KILLED);
        }
    }
}
