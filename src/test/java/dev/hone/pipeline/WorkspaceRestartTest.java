package dev.hone.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hone.App;
import dev.hone.data.DataDir;
import dev.hone.run.DeliveryStatus;
import dev.hone.run.Notifiable;
import dev.hone.run.RunStatus;
import dev.hone.store.Store;
import dev.hone.testing.Docker;
import dev.hone.testing.Parts;
import dev.hone.tune.Trial;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Through the real pipeline: the workspace container is killed mid-trial; the study goes on and completes. */
class WorkspaceRestartTest {

    /** Trial 2 trains until killed the first time it runs; every trial prints its accuracy. */
    static final String MAIN = """
            import os, sys, time
            n = int(os.environ["HONE_TRIAL"])
            mark = os.path.join(os.environ["HONE_OUTPUT"], "first")
            if n == 2 and not os.path.exists(mark):
                open(mark, "w").close()
                print("epoch=1 accuracy=0.10", flush=True)
                print("training", flush=True)
                time.sleep(300)
            time.sleep(0.5)
            print("accuracy=%s" % os.environ["HONE_PARAM_X"])
            """;

    static final String PROJECT = "supervise-relaunch";

    @TempDir
    Path tmp;

    @BeforeEach
    void needsDocker() {
        Parts.requireDocker();
    }

    @Test
    void dockerKillMidTrialRelaunchesTheSameContainerWithinASecondAndTheStudyCompletes() throws Exception {
        Path project = Files.createDirectories(tmp.resolve(PROJECT));
        Files.writeString(project.resolve("main.py"), MAIN);
        Files.writeString(project.resolve("hone.yaml"), """
                environment: {executor: docker, image: hone/python, resources: {cpus: 1.0, memory: 512m}}
                metric: {name: accuracy, target: 0.95}
                tune: {strategy: grid, params: {x: [0.5, 0.6, 0.7]}, max_trials: 3}
                """);
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("HOME", tmp.toString());
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        App app = new App(env, new PrintStream(console, true, StandardCharsets.UTF_8), System.err,
                InstantSource.system(), new Random(1));
        Map<Integer, Boolean> training = new ConcurrentHashMap<>();
        RunListener listener = new RunListener() {
            @Override
            public void trialOutput(int trial, String line) {
                if (line.equals("training")) {
                    training.put(trial, true);
                }
            }
        };
        DataDir data = new DataDir(tmp.resolve("data"));
        try (Store store = app.store(data)) {
            CompletableFuture<RunOutcome> run = CompletableFuture.supplyAsync(() ->
                    app.pipeline(store, data, new PrintStream(console, true, StandardCharsets.UTF_8), listener)
                            .run(RunRequest.of(project)));
            await(() -> training.containsKey(2), "trial 2 to train");
            String[] label = {"hone.run=1", "hone.project=" + PROJECT};
            String first = Docker.running(label).getFirst();
            JsonNode before = Docker.inspect(first);

            Docker.run("kill", first);
            String second = await(() -> Docker.running(label).stream().filter(id -> !id.equals(first)).findFirst()
                    .orElse(null), "a new workspace container");
            JsonNode after = Docker.inspect(second);
            RunOutcome outcome = run.get(2, TimeUnit.MINUTES);

            assertThat(after.at("/Config/Image")).isEqualTo(before.at("/Config/Image"));
            assertThat(after.at("/Config/Labels")).isEqualTo(before.at("/Config/Labels"));
            assertThat(after.at("/Config/Env")).isEqualTo(before.at("/Config/Env"));
            assertThat(after.at("/HostConfig/Memory").asLong()).isEqualTo(512L << 20)
                    .isEqualTo(before.at("/HostConfig/Memory").asLong());
            assertThat(after.at("/HostConfig/NanoCpus")).isEqualTo(before.at("/HostConfig/NanoCpus"));
            assertThat(after.at("/HostConfig/PidsLimit")).isEqualTo(before.at("/HostConfig/PidsLimit"));
            assertThat(after.at("/HostConfig/Binds")).isEqualTo(before.at("/HostConfig/Binds"));

            Summary summary = outcome.summary();
            assertThat(summary.status()).isEqualTo(RunStatus.TARGET_MISSED);
            assertThat(summary.trials()).extracting(Summary.Trial::number).containsExactly(1, 2, 3);
            assertThat(summary.trials()).extracting(Summary.Trial::state)
                    .containsExactly("succeeded", "succeeded", "succeeded");
            assertThat(summary.trials().get(1).value()).isEqualTo(summary.trials().get(1).params().get("x"));
            assertThat(summary.events()).extracting(Summary.Event::type)
                    .containsExactly(Notifiable.CONTAINER_RESTARTED.type(), Notifiable.TARGET_MISSED.type());
            assertThat(summary.events().getFirst().message()).startsWith(PROJECT + ": container "
                    + second.substring(0, 12) + " restarted (1 of 3): exit 137, killed by SIGKILL; trial 2 runs"
                    + " again (back in 0.");
            assertThat(summary.notifications()).extracting(Summary.Notification::event, Summary.Notification::status)
                    .contains(Tuple.tuple(Notifiable.CONTAINER_RESTARTED.type(), DeliveryStatus.SENT));
            assertThat(store.trials(1)).hasSize(3);
            Trial two = store.trials(1).get(1).trial();
            assertThat(two.intermediate()).as("the first attempt's epoch=1 is forgotten").isEmpty();
            assertThat(Files.readString(data.run(1).trial(2).log())).isEqualTo(
                    "epoch=1 accuracy=0.10\ntraining\n--- hone: container restarted (exit 137, killed by SIGKILL);"
                            + " re-running trial 2 ---\naccuracy=" + summary.trials().get(1).value() + "\n");
            assertThat(store.notifications(1)).extracting(n -> n.event())
                    .contains(Notifiable.CONTAINER_RESTARTED.type());
        }
        assertThat(Docker.all("hone.run=1", "hone.project=" + PROJECT)).isEmpty();
    }

    static <T> T await(Supplier<T> value, String what) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < until) {
            T v = value.get();
            if (v != null && !Boolean.FALSE.equals(v)) {
                return v;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("waited 60s for " + what);
    }
}
