package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code metric.confirm} end to end, with real trial processes whose value depends on {@code HONE_SEED}: one
 * configuration crosses the target only with the run's seed (7), the other with every seed.
 */
class ConfirmRunTest {

    static final String MAIN = """
            import os
            seed = int(os.environ["HONE_SEED"])
            x = os.environ["HONE_PARAM_X"]
            value = (0.96 if seed == 7 else 0.93) if x == "lucky" else 0.97 - (seed - 7) * 0.005
            print("seed %d accuracy=%s" % (seed, value))
            """;

    @TempDir
    Path tmp;
    Cli cli;
    Path project;

    @BeforeEach
    void project() throws Exception {
        cli = new Cli(tmp.resolve("home"));
        project = Files.createDirectories(tmp.resolve("noisy"));
        Files.writeString(project.resolve("main.py"), MAIN);
    }

    JsonNode run(String confirm) throws Exception {
        Files.writeString(project.resolve("hone.yaml"), """
                metric:
                  name: accuracy
                  target: 0.95
                %s
                tune:
                  strategy: grid
                  params: {x: [solid, lucky]}
                  seed: 7
                """.formatted(confirm));
        Path json = tmp.resolve("summary-" + confirm.hashCode() + ".json");
        int code = cli.run("run", project.toString(), "--executor", "local", "--json", json.toString());
        assertThat(code).as(cli.err()).isZero();
        return new ObjectMapper().readTree(json.toFile());
    }

    @Test
    void withoutConfirmALuckySeedEndsTheRunAsASuccess() throws Exception {
        JsonNode summary = run("");

        assertThat(summary.get("status").asText()).isEqualTo("target_reached");
        assertThat(summary.get("trials")).hasSize(1);
        assertThat(summary.at("/best/params/x").asText()).isEqualTo("lucky");
        assertThat(summary.at("/best/value").asDouble()).isEqualTo(0.96);
    }

    @Test
    void withConfirmTheLuckyTrialIsRepeatedWithNewSeedsAndOnlyARealSuccessEndsTheRun() throws Exception {
        JsonNode summary = run("  confirm: {repeats: 3, aggregate: mean}");

        assertThat(summary.get("status").asText()).isEqualTo("target_reached");
        assertThat(summary.get("trials")).extracting(t -> t.at("/params/x").asText() + " " + t.get("value").asDouble())
                .containsExactly("lucky 0.96", "lucky 0.93", "lucky 0.93", "solid 0.97", "solid 0.965",
                        "solid 0.96");
        assertThat(summary.at("/best/trial").asInt()).isEqualTo(4);
        assertThat(summary.at("/best/value").asDouble()).isEqualTo(0.965, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(summary.get("events")).extracting(e -> e.get("type").asText() + ": " + e.get("message").asText())
                .containsExactly(
                        "confirmation: trial 1 reached 0.96 but its confirmation (mean of 3: 0.94; trial 1 HONE_SEED 7"
                                + " → 0.96, trial 2 HONE_SEED 8 → 0.93, trial 3 HONE_SEED 9 → 0.93) did not reach"
                                + " the target 0.95; the study goes on",
                        "confirmation: trial 4 reached 0.97 and its confirmation did too (mean of 3: 0.965; trial 4"
                                + " HONE_SEED 7 → 0.97, trial 5 HONE_SEED 8 → 0.965, trial 6 HONE_SEED 9 → 0.96)",
                        "target_reached: noisy: accuracy 0.965 ≥ 0.95 after 6 trials");
        assertThat(cli.out() + cli.err()).contains("hone: trial 1 reached 0.96 but its confirmation (mean of 3: 0.94;");
    }
}
