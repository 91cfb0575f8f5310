package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.hone.run.RunEvent;
import dev.hone.run.RunStatus;
import dev.hone.store.EventRow;
import dev.hone.store.RunRow;
import dev.hone.store.Store;
import dev.hone.store.Stores;
import dev.hone.testing.Orphans;
import dev.hone.tune.Trial;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code hone run} killed outright leaves its run {@code running} and its training running; the next
 * {@code hone run} on the same data directory records the run interrupted and stops the training.
 */
class KilledRunTest {

    @TempDir
    Path home;

    @Test
    void theNextHoneRunEndsTheRunAKilledOneLeftAndStopsItsTraining() throws Exception {
        Path pidFile = home.resolve("training.pid");
        Path slow = Files.createDirectories(home.resolve("slow"));
        Files.writeString(slow.resolve("main.py"), """
                import os, time
                open(os.environ["TRAINING_PID"], "w").write(str(os.getpid()))
                time.sleep(300)
                """);
        Process hone = honeRun(slow, pidFile);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.exists(pidFile) || Files.readString(pidFile).isBlank()) {
            assertThat(hone.isAlive()).as("hone run is still running").isTrue();
            assertThat(System.nanoTime() - deadline).as("the training to start within 60 s").isNegative();
            Thread.sleep(20);
        }
        ProcessHandle training = ProcessHandle.of(Long.parseLong(Files.readString(pidFile))).orElseThrow();
        hone.toHandle().destroyForcibly(); // SIGKILL: no shutdown hook stops the training
        assertThat(hone.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(training.isAlive()).as("the training outlives the killed hone run").isTrue();

        Path quick = Files.createDirectories(home.resolve("quick"));
        Files.writeString(quick.resolve("main.py"), "print('accuracy=0.9')\n");
        Cli cli = new Cli(home);
        assertThat(cli.run("run", quick.toString(), "--executor", "local")).isZero();

        assertThat(cli.out()).startsWith(
                "hone: run 1 was left running by a hone run that is gone: recorded interrupted\n");
        assertThat(Orphans.ended(training)).as("the training the killed hone run left is stopped").isTrue();
        try (Store store = Stores.open(cli.data().resolve("hone.db").toString())) {
            RunRow run = store.run(1).orElseThrow();
            assertThat(run.status()).isEqualTo(RunStatus.INTERRUPTED);
            assertThat(run.finishedAt()).isNotNull();
            Trial trial = store.trials(1).getFirst().trial();
            assertThat(trial.state().label()).isEqualTo("killed");
            assertThat(trial.error()).isEqualTo("Hone stopped while it ran");
            assertThat(store.events(1)).extracting(EventRow::type, EventRow::message).containsExactly(
                    tuple(RunEvent.Interrupted.TYPE, "the hone run that ran it stopped without"
                            + " ending it (killed, or the machine went down); its trials were stopped"));
            assertThat(store.run(2).orElseThrow().status()).isEqualTo(RunStatus.SUCCEEDED);
        }
    }

    /** {@code hone run DIR} as a process of its own, with the test's home. */
    private Process honeRun(Path dir, Path pidFile) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", classpath, "dev.hone.cli.Main", "run", dir.toString(),
                "--executor", "local").redirectErrorStream(true)
                .redirectOutput(home.resolve("killed-hone.log").toFile());
        builder.environment().put("HOME", home.toString());
        builder.environment().put("TRAINING_PID", pidFile.toString());
        return builder.start();
    }
}
