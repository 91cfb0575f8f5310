package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hone.testing.Parts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code hone run --executor slurm} end to end: each trial a batch job of the real one-node cluster (.ci/slurm.sh). */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SlurmRunTest {

    @TempDir
    Path home;

    @BeforeEach
    void needsSlurm() {
        Parts.requireSlurm();
        Parts.requireSystemScikitLearn();
    }

    @Test
    void digitsReachesItsTargetAsBatchJobsAndLeavesNoJobInTheQueue() throws Exception {
        Cli cli = new Cli(home).withSystemPython();
        Path out = home.resolve("out.json");

        int code = cli.run("run", Cli.example("digits-sklearn").toString(), "--executor", "slurm", "--json",
                out.toString());

        assertThat(code).as(cli.out() + cli.err()).isZero();
        assertThat(cli.out()).contains("executor slurm (as configured)");
        JsonNode s = new ObjectMapper().readTree(out.toFile());
        assertThat(s.get("status").asText()).isEqualTo("target_reached");
        assertThat(s.get("best").get("value").asDouble()).isGreaterThanOrEqualTo(0.98);
        int best = s.get("best").get("trial").asInt();
        assertThat(cli.data().resolve("runs/1/trials/" + best + "/train.log")).content().contains("accuracy=");
        assertThat(queue()).doesNotContain("hone-digits-r1-");
    }

    /** Two trials that each wait for the other's file: they finish only if their jobs run at the same time. */
    @Test
    void parallelTrialsRunAsJobsAtTheSameTime() throws IOException, InterruptedException {
        Path dir = Files.createDirectories(home.resolve("barrier"));
        Files.writeString(dir.resolve("hone.yaml"), """
                name: barrier
                train: {command: sh barrier.sh, timeout: 1m}
                tune:
                  strategy: random
                  params: {x: {min: 0, max: 1}}
                  max_trials: 2
                  parallel: 2
                """);
        Files.writeString(dir.resolve("barrier.sh"), """
                touch "arrived-$HONE_TRIAL"
                other=$((3 - HONE_TRIAL))
                for i in $(seq 600); do [ -e "arrived-$other" ] && break; sleep 0.1; done
                [ -e "arrived-$other" ] || { echo "trial $other never arrived"; exit 1; }
                echo "accuracy=0.$HONE_TRIAL"
                """);
        Cli cli = new Cli(home);
        Path out = home.resolve("out.json");

        int code = cli.run("run", dir.toString(), "--executor", "slurm", "--json", out.toString());

        assertThat(code).as(cli.out() + cli.err()).isZero();
        JsonNode s = new ObjectMapper().readTree(out.toFile());
        assertThat(s.get("trials").size()).isEqualTo(2);
        for (JsonNode trial : s.get("trials")) {
            assertThat(trial.get("state").asText()).as(trial.toString()).isEqualTo("succeeded");
        }
        assertThat(queue()).doesNotContain("hone-barrier-r1-");
    }

    private static String queue() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("squeue", "-h", "-o", "%j").redirectErrorStream(true).start();
        String names = new String(p.getInputStream().readAllBytes());
        p.waitFor(30, TimeUnit.SECONDS);
        return names;
    }
}
