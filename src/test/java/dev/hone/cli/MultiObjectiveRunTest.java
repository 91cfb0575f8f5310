package dev.hone.cli;

import static dev.hone.cli.TrialResultsTest.JSON;
import static dev.hone.cli.TrialResultsTest.project;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code metric} as a list, end to end: real trial processes report two metrics; the summary keeps the front. */
class MultiObjectiveRunTest {

    /** accuracy and latency_ms by size: 3 is dominated by 2; 6 does not print its latency. */
    static final String MAIN_PY = """
            import os
            size = int(os.environ["HONE_PARAM_SIZE"])
            accuracy = {1: 0.84, 2: 0.88, 3: 0.85, 4: 0.96, 5: 0.97, 6: 0.99}[size]
            print(f"accuracy={accuracy}")
            if size != 6:
                print(f"latency_ms={ {1: 10, 2: 40, 3: 60, 4: 160, 5: 250}[size] }")
            os.makedirs(os.environ["HONE_OUTPUT"], exist_ok=True)
            open(os.path.join(os.environ["HONE_OUTPUT"], "model.txt"), "w").write(str(size))
            """;

    static final String HONE_YAML = """
            metric:
              - {name: accuracy, direction: maximize%s}
              - {name: latency_ms, direction: minimize}
            tune: {strategy: grid, params: {size: [1, 2, 3, 4, 5, 6]}, max_trials: 6, max_failed_trials: 2}
            """;

    @TempDir
    Path home;

    private Path data;

    /** Runs {@code project} with {@code honeYaml} and {@link #MAIN_PY}; succeeds, and returns the summary. */
    private JsonNode run(String project, String honeYaml) throws IOException {
        Path dir = project(home.resolve(project), honeYaml, MAIN_PY);
        Cli cli = new Cli(home);
        data = cli.data();
        Path out = home.resolve("out.json");

        int code = cli.run("run", dir.toString(), "--executor", "local", "--json", out.toString());

        assertThat(code).as(cli.out() + cli.err()).isZero();
        return JSON.readTree(out.toFile());
    }

    @Test
    void theSummaryHoldsTheParetoFrontAndWithNoTargetTheBestAndTheModelAreTheFrontsBestOnTheFirst()
            throws IOException {
        JsonNode summary = run("mo", HONE_YAML.formatted(""));
        Map<Integer, Integer> trialOfSize = new HashMap<>();
        for (JsonNode t : summary.get("trials")) {
            trialOfSize.put(t.get("params").get("size").asInt(), t.get("number").asInt());
        }
        assertThat(summary.get("status").asText()).isEqualTo("succeeded");
        assertThat(summary.get("objectives").toString()).isEqualTo("[{\"name\":\"accuracy\",\"direction\":"
                + "\"maximize\"},{\"name\":\"latency_ms\",\"direction\":\"minimize\"}]");
        StringBuilder front = new StringBuilder();
        trialOfSize.entrySet().stream().filter(e -> e.getKey() != 3 && e.getKey() != 6)
                .sorted(Map.Entry.comparingByValue()).forEach(e -> front.append(front.isEmpty() ? "" : ",")
                        .append("{\"trial\":").append(e.getValue()).append(",\"values\":{\"accuracy\":")
                        .append(Map.of(1, "0.84", 2, "0.88", 4, "0.96", 5, "0.97").get(e.getKey()))
                        .append(",\"latency_ms\":")
                        .append(Map.of(1, "10.0", 2, "40.0", 4, "160.0", 5, "250.0").get(e.getKey())).append("}}"));
        assertThat(summary.get("pareto_front").toString()).isEqualTo("[" + front + "]");
        assertThat(summary.get("best").get("trial").asInt()).as("0.97, the front's best accuracy")
                .isEqualTo(trialOfSize.get(5));
        JsonNode missing = summary.get("trials").get(trialOfSize.get(6) - 1);
        assertThat(missing.get("state").asText()).isEqualTo("failed");
        assertThat(missing.get("error").asText()).isEqualTo("reported accuracy but not latency_ms, which hone.yaml's"
                + " metric list also needs: print latency_ms=VALUE or put it in $HONE_OUTPUT/metrics.json");
        assertThat(Files.readString(data.resolve("projects/mo/model/model.txt"))).isEqualTo("5");
    }

    @Test
    void theTargetAppliesToTheFirstMetricAndTheModelKeptIsTheBestTrials() throws IOException {
        JsonNode summary = run("mo", HONE_YAML.formatted(", target: 0.95"));
        assertThat(summary.get("status").asText()).isEqualTo("target_reached");
        int best = summary.get("best").get("trial").asInt();
        JsonNode bestTrial = summary.get("trials").get(best - 1);
        assertThat(bestTrial.get("value").asDouble()).isGreaterThanOrEqualTo(0.95);
        assertThat(summary.get("pareto_front").findValuesAsText("trial")).contains(Integer.toString(best));
        assertThat(Files.readString(data.resolve("projects/mo/model/model.txt")))
                .isEqualTo(bestTrial.get("params").get("size").asText());
    }

    @Test
    void aSingleMetricSummaryHasNoFront() throws IOException {
        JsonNode summary = run("one", """
                metric: {name: accuracy, target: 0.9}
                tune: {strategy: grid, params: {size: [4]}}
                """);
        assertThat(summary.has("pareto_front")).isFalse();
        assertThat(summary.has("objectives")).isFalse();
    }
}
