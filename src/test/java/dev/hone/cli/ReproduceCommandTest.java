package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hone.server.GitFixture;
import dev.hone.store.Store;
import dev.hone.store.Stores;
import dev.hone.store.TrialRow;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hone reproduce RUN TRIAL} on a real git repository: the run's record (commit, seed, Python, hone.yaml), and
 * the trial trained again in a fresh workspace with its parameters and the run's seed ({@code HONE_SEED}).
 */
class ReproduceCommandTest {

    static final String YAML = """
            name: digits
            metric: {name: accuracy}
            tune:
              strategy: grid
              params: {lr: [0.5, 1.0]}
            """;

    @TempDir
    Path tmp;
    Cli cli;
    GitFixture git;

    @BeforeEach
    void repository() throws Exception {
        cli = new Cli(tmp.resolve("home"));
        git = new GitFixture(tmp, "digits");
    }

    @Test
    void aTrialOfASeededProgramIsReproducedWithTheSameValue() throws Exception {
        git.write("hone.yaml", YAML).write("main.py", """
                import os
                seed = int(os.environ["HONE_SEED"])
                lr = float(os.environ["HONE_PARAM_LR"])
                print("accuracy=%s" % (0.8 + (seed % 1000) / 100000 + lr / 10))
                """);
        String commit = git.commit("Seeded");
        assertThat(cli.run("run", git.work.toString(), "--executor", "local")).as(cli.err()).isZero();
        git.write("main.py", "print('accuracy=0.1')\n").commit("Later work that must not matter");

        int code = cli.run("reproduce", "1", "2", "--executor", "local");

        assertThat(code).as(cli.err()).isZero();
        try (Store store = Stores.open(cli.data().resolve("hone.db").toString())) {
            double then = store.trials(1).stream().filter(t -> t.trial().number() == 2).findFirst()
                    .map(TrialRow::trial).orElseThrow().value();
            assertThat(cli.out()).isEqualTo("trial 2 of run 1 reproduced: accuracy " + then
                    + ", the same value (run 2)\n");
            JsonNode record = new ObjectMapper().readTree(store.reproduction(1).orElseThrow());
            assertThat(record.get("commit").asText()).isEqualTo(commit);
            assertThat(record.get("branch").asText()).isEqualTo("main");
            assertThat(record.get("executor").asText()).isEqualTo("local");
            assertThat(record.get("python").asText()).startsWith("Python 3.");
            assertThat(record.get("hone_yaml").asText()).isEqualTo(YAML);
            assertThat(store.reproduction(2).map(r -> r.contains("\"seed\":" + record.get("seed").asLong())))
                    .as("the reproduction ran with the run's seed").contains(true);
        }
        assertThat(cli.err()).contains("hone: reproduce: trial 2 of run 1 (lr=1.0) at commit "
                + commit.substring(0, 12));
    }

    @Test
    void aTrialWhoseProgramIsNotDeterministicSaysItDidNotReproduceAndExitsOne() throws Exception {
        git.write("hone.yaml", YAML).write("main.py", """
                import time
                print("accuracy=0.%d" % (time.time_ns() % 1000000007))
                """);
        git.commit("Not seeded");
        assertThat(cli.run("run", git.work.toString(), "--executor", "local")).as(cli.err()).isZero();

        int code = cli.run("reproduce", "1", "1", "--executor", "local");

        assertThat(code).isEqualTo(1);
        assertThat(cli.out()).startsWith("trial 1 of run 1 did not reproduce: accuracy 0.").contains(" now, 0.")
                .endsWith(" then (run 2)\n");
    }

    @Test
    void anUnknownTrialSaysWhereToLook() throws Exception {
        git.write("hone.yaml", YAML).write("main.py", "print('accuracy=0.5')\n");
        git.commit("One");
        assertThat(cli.run("run", git.work.toString(), "--executor", "local")).as(cli.err()).isZero();

        assertThat(cli.run("reproduce", "1", "9")).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("hone: run 1 has no trial 9: `hone trials 1` lists them\n");
    }
}
