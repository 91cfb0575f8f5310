package dev.hone.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.hone.App;
import dev.hone.data.DataDir;
import dev.hone.run.RunStatus;
import dev.hone.server.GitFixture;
import dev.hone.spec.ServerSpec;
import dev.hone.spec.ServerSpecLoader;
import dev.hone.store.Store;
import dev.hone.store.WarmStartRow;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tune.warm_start} end to end on a real git repository and real trials (python3): commit 2 moves the optimum
 * of commit 1's objective a little; its run starts from run 1's trials, reaches the target within a few trials (5 here; run 1 took more) and
 * says so in its summary; {@code warm_start: false} starts clean; a narrower range drops the trials outside it.
 */
class WarmStartRunTest {

    static final String SPEC = """
            name: quad
            metric: {name: loss, direction: minimize, target: 0.01}
            tune:
              max_trials: 40
              seed: 3
            %s  params:
                x: {min: 0, max: %s}
                y: {min: 0, max: 1}
            """;
    /** The loss of a trial: the squared distance of (x, y) to the optimum. */
    static final String MAIN = """
            import json, os
            p = json.load(open(os.environ["HONE_PARAMS"]))
            print("loss=%%.6f" %% ((p["x"] - %s) ** 2 + (p["y"] - %s) ** 2))
            """;

    @TempDir
    Path tmp;
    GitFixture git;
    String console;

    @BeforeEach
    void commitOne() throws Exception {
        git = new GitFixture(tmp, "quad");
        git.write("hone.yaml", SPEC.formatted("", "1"));
        git.write("main.py", MAIN.formatted("0.30", "0.60"));
        git.commit("commit 1");
    }

    @Test
    void theNextCommitsRunStartsFromTheLastRunsTrialsAndReachesTheTargetInAFewTrials() throws Exception {
        RunOutcome first = run();
        assertThat(first.summary().status()).isEqualTo(RunStatus.TARGET_REACHED);
        assertThat(first.summary().warmStart()).as("nothing earlier to start from").isNull();
        git.write("main.py", MAIN.formatted("0.33", "0.63"));
        git.commit("commit 2: the optimum moves a little");

        RunOutcome second = run();

        int earlier = first.summary().trials().size();
        assertThat(second.summary().status()).isEqualTo(RunStatus.TARGET_REACHED);
        assertThat(second.summary().trials()).as("run 1 needed %d", earlier).hasSizeLessThanOrEqualTo(5);
        assertThat(second.summary().trials().getFirst().params()).isEqualTo(first.summary().best().params());
        assertThat(second.summary().warmStart()).isEqualTo(new Summary.WarmStart(earlier,
                List.of(first.runId()), 0));
        assertThat(console).contains("hone: warm start from " + earlier + " trials of run " + first.runId()
                + ": 3 of their best run again first\n");
        ObjectMapper json = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        assertThat(json.writeValueAsString(second.summary())).contains("\"warm_start\":{\"trials\":" + earlier
                + ",\"runs\":[" + first.runId() + "],\"dropped\":0}");
        try (Store store = app().store(data())) {
            assertThat(store.warmStart(second.runId())).contains(new WarmStartRow(earlier, List.of(first.runId()), 0));
            assertThat(store.warmStart(first.runId())).isEmpty();
        }
    }

    @Test
    void warmStartFalseStartsClean() throws Exception {
        RunOutcome first = run();
        git.write("hone.yaml", SPEC.formatted("  warm_start: false\n", "1"));
        git.write("main.py", MAIN.formatted("0.33", "0.63"));
        git.commit("commit 2, started clean");

        RunOutcome second = run();

        assertThat(second.summary().warmStart()).isNull();
        assertThat(second.summary().trials().getFirst().params()).isNotEqualTo(first.summary().best().params());
        assertThat(console).doesNotContain("warm start");
        try (Store store = app().store(data())) {
            assertThat(store.warmStart(second.runId())).isEmpty();
        }
    }

    @Test
    void aNarrowerRangeDropsTheEarlierTrialsOutsideIt() throws Exception {
        RunOutcome first = run();
        long outside = first.summary().trials().stream().filter(t -> t.value() != null)
                .filter(t -> (Double) t.params().get("x") > 0.5).count();
        long inside = first.summary().trials().stream().filter(t -> t.value() != null).count() - outside;
        assertThat(outside).as("run 1 tried x above 0.5").isPositive();
        git.write("hone.yaml", SPEC.formatted("", "0.5"));
        git.commit("commit 2: x up to 0.5");

        RunOutcome second = run();

        assertThat(second.summary().warmStart()).isEqualTo(new Summary.WarmStart((int) inside,
                List.of(first.runId()), (int) outside));
        assertThat(console).contains(" (" + outside + " dropped: they do not fit tune.params as it is now, or are"
                + " past the newest 100)\n");
        assertThat(second.summary().trials()).allSatisfy(t -> assertThat((Double) t.params().get("x"))
                .isLessThanOrEqualTo(0.5));
    }

    private RunOutcome run() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        App app = app();
        ServerSpec installation = ServerSpecLoader.parse("", "hone-server.yaml", app.env());
        try (Store store = app.store(data())) {
            return app.pipeline(store, data(), out, RunListener.NONE, installation, App.trialSlots(installation))
                    .run(new RunRequest(git.work, dev.hone.spec.Spec.Executor.LOCAL, null, null, null, null));
        } finally {
            console = bytes.toString(StandardCharsets.UTF_8);
        }
    }

    private App app() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("HOME", tmp.toString());
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return new App(env, quiet, quiet, InstantSource.system(), new Random(1));
    }

    private DataDir data() {
        return new DataDir(tmp.resolve("data"));
    }
}
