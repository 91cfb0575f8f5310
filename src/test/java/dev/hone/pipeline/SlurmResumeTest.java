package dev.hone.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.run.RunStatus;
import dev.hone.run.Usage;
import dev.hone.server.GitFixture;
import dev.hone.store.Store;
import dev.hone.store.Stores;
import dev.hone.testing.Await;
import dev.hone.testing.Parts;
import dev.hone.testing.Ports;
import dev.hone.tune.Trial;
import dev.hone.tune.TrialState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a real {@code hone serve} while its trials run as Slurm jobs: the jobs go on on the cluster, and the
 * next {@code hone serve} adopts the one still running and takes the result of the one that ended meanwhile from
 * its files — neither runs again.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SlurmResumeTest {

    static final String PROJECT = "slurm-resume";

    @TempDir
    Path tmp;

    @Test
    void aRestartedHoneAdoptsTheRunningJobAndTakesTheFinishedOnesResultRunningNeitherAgain() throws Exception {
        Parts.requireSlurm();
        Path gates = Files.createDirectories(tmp.resolve("gates"));
        GitFixture repo = new GitFixture(tmp, PROJECT);
        repo.write("main.py", """
                import os, time
                n = os.environ["HONE_TRIAL"]
                attempts = os.path.join(os.environ["HONE_OUTPUT"], "attempts")
                open(attempts, "a").write("start %%s\\n" %% n)
                print("training", flush=True)
                while not os.path.exists(os.path.join("%s", n)):
                    time.sleep(0.05)
                open(attempts, "a").write("done %%s\\n" %% n)
                print("accuracy=%%s" %% os.environ["HONE_PARAM_X"])
                """.formatted(gates)).write("hone.yaml", """
                environment: {executor: slurm}
                metric: {name: accuracy, target: 0.99}
                tune: {strategy: grid, params: {x: [0.1, 0.2]}, max_trials: 2, parallel: 2}
                """).commit("Two trials held at a gate each");
        repo.push("main");
        int port = Ports.free();
        Path config = ResumeAfterKillTest.config(tmp, port, repo);
        Path data = tmp.resolve("data");

        Process first = ResumeAfterKillTest.serve(tmp, config, data);
        ResumeAfterKillTest.queue(port, PROJECT);
        for (int n = 1; n <= 2; n++) {
            Path attempts = data.resolve("runs/1/trials/" + n + "/output/attempts");
            Await.until(() -> Files.exists(attempts), "both trials' jobs to run");
        }
        ResumeAfterKillTest.kill(first);
        assertThat(state(1)).as("trial 1's job outlives the killed hone").isEqualTo("RUNNING");
        assertThat(state(2)).as("trial 2's job outlives the killed hone").isEqualTo("RUNNING");

        Files.createFile(gates.resolve("1"));
        Await.until(() -> state(1).equals("COMPLETED"), "trial 1's job to end while no hone runs");
        Process second = ResumeAfterKillTest.serve(tmp, config, data);
        try (Store store = Stores.open(data.resolve("hone.db").toString())) {
            Files.createFile(gates.resolve("2"));
            assertThat(ResumeAfterKillTest.resumedToTheEnd(store).status()).isEqualTo(RunStatus.TARGET_MISSED);
            List<Trial> trials = store.trials(1).stream().map(t -> t.trial()).toList();
            assertThat(trials).extracting(Trial::number).containsExactly(1, 2);
            assertThat(trials).extracting(Trial::state).containsOnly(TrialState.SUCCEEDED);
            assertThat(trials).extracting(Trial::value).containsExactlyInAnyOrder(0.1, 0.2);
            for (int n = 1; n <= 2; n++) {
                assertThat(Files.readString(data.resolve("runs/1/trials/" + n + "/output/attempts")))
                        .as("trial %d's job ran once, to its end", n).isEqualTo("start " + n + "\ndone " + n + "\n");
            }
            Usage meanwhile = trials.getFirst().resources();
            assertThat(meanwhile.source()).as("%s: what the job that ended meanwhile used, from its files", meanwhile)
                    .isEqualTo("batch script: times + /proc");
            assertThat(meanwhile.cpu()).as(meanwhile.toString()).isPositive();
            assertThat(meanwhile.peakMemoryBytes()).as(meanwhile.toString()).isGreaterThan(1L << 20);
            assertThat(data.resolve("runs/1/trials/1/train.log")).as("the log of the job that ended meanwhile")
                    .hasContent("training\naccuracy=" + trials.getFirst().params().get("x") + "\n");
        } finally {
            ResumeAfterKillTest.stop(second);
        }
        assertThat(names()).doesNotContain("hone-" + PROJECT + "-r1-");
    }

    /** The state Slurm gives trial {@code n}'s job (the newest of that name); "" when it knows none. */
    private static String state(int n) {
        String out = run("squeue", "-h", "-t", "all", "-n", "hone-" + PROJECT + "-r1-t" + n, "-o", "%i %T");
        return out.lines().map(line -> line.strip().split(" ")).filter(f -> f.length == 2)
                .max((a, b) -> Long.compare(Long.parseLong(a[0]), Long.parseLong(b[0]))).map(f -> f[1]).orElse("");
    }

    /** The names of the jobs queued or running. */
    private static String names() {
        return run("squeue", "-h", "-o", "%j");
    }

    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
