package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.data.DataDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hone logs} on a real store: which trial it picks, its errors, and {@code --follow} of a live trial. */
class LogsCommandTest {

    @TempDir
    Path home;

    private Path project(String main) throws IOException {
        Path dir = Files.createDirectories(home.resolve("proj"));
        Files.writeString(dir.resolve("main.py"), main);
        Files.writeString(dir.resolve("hone.yaml"), """
                name: proj
                train: {command: python3 main.py}
                metric: {name: accuracy, target: 0.99}
                tune:
                  params: {x: {min: 1, max: 3, type: int}}
                  max_trials: 3
                  strategy: grid
                """);
        return dir;
    }

    @Test
    void printsTheBestTrialsLogOfTheLatestRunOrTheTrialAsked() throws IOException {
        Path dir = project("""
                import os
                x = int(os.environ['HONE_PARAM_X'])
                print('trial with x=%s' % x)
                print('accuracy=%s' % {1: 0.5, 2: 0.9, 3: 0.7}[x])
                """);
        Cli cli = new Cli(home);
        assertThat(cli.run("run", dir.toString(), "-q")).as(cli.err()).isEqualTo(1);
        DataDir data = new DataDir(cli.data());

        assertThat(cli.run("logs")).as(cli.err()).isZero();
        assertThat(cli.out()).as("the best trial's").startsWith("trial with x=2\n").contains("accuracy=0.9");

        assertThat(cli.run("logs", "1", "--trial", "3")).isZero();
        assertThat(cli.out()).isEqualTo(Files.readString(data.run(1).trial(3).log())).contains("accuracy=");
    }

    @Test
    void anUnknownRunOrTrialIsAUsageErrorThatSaysWhereToLook() throws IOException {
        Cli cli = new Cli(home);
        assertThat(cli.run("logs")).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("hone: no runs yet in " + cli.data() + ": start one with `hone run DIR`\n");

        Path dir = project("print('accuracy=0.5')\n");
        assertThat(cli.run("run", dir.toString(), "-q")).isEqualTo(1);

        assertThat(cli.run("logs", "42")).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("hone: no run 42 in " + cli.data() + ": `hone runs` lists them\n");
        assertThat(cli.run("logs", "1", "--trial", "9")).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("hone: run 1 has no trial 9: its trials are 1 to 3 (`hone trials 1`)\n");
    }

    @Test
    void followPrintsWhatALiveTrialWritesAndEndsWhenItEnds() throws Exception {
        Path dir = project("""
                import os, time
                print('first line', flush=True)
                while not os.path.exists('gate'):
                    time.sleep(0.05)
                print('accuracy=0.995', flush=True)
                """);
        ExecutorService pool = Executors.newCachedThreadPool();
        Cli runner = new Cli(home);
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> runner.run("run", dir.toString(), "-q"), pool);
        Path log = new DataDir(runner.data()).run(1).trial(1).log();
        await(() -> Files.isRegularFile(log) && read(log).contains("first line"));

        Cli cli = new Cli(home);
        CompletableFuture<Integer> logs = CompletableFuture.supplyAsync(() -> cli.run("logs", "--follow"), pool);
        await(() -> cli.out().contains("first line"));
        assertThat(logs).as("the trial still runs").isNotDone();

        Files.writeString(new DataDir(runner.data()).run(1).workspace().resolve("gate"), "", StandardOpenOption.CREATE);
        assertThat(run.get(60, TimeUnit.SECONDS)).as(runner.err()).isZero();
        assertThat(logs.get(60, TimeUnit.SECONDS)).as(cli.err()).isZero();
        assertThat(cli.out()).isEqualTo(read(log)).contains("first line\n").contains("accuracy=0.995");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waited 60 s").isBefore(deadline);
            Thread.sleep(50);
        }
    }
}
