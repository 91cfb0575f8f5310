package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.spec.Spec;
import dev.hone.testing.FakeClock;
import dev.hone.time.Sleeper;
import dev.hone.tune.Trial;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a long trial shows while it runs: in a log (CI), a line when it starts and ends and a heartbeat with its elapsed
 * time and last metric line; on a terminal, the elapsed time on the progress line. The heartbeat's sleeps are held by
 * the test, so each one happens when the test says.
 */
class ProgressTest {

    @TempDir
    Path home;

    final FakeClock clock = new FakeClock();
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    final List<Duration> slept = new CopyOnWriteArrayList<>();
    final Semaphore asleep = new Semaphore(0);
    final Semaphore wake = new Semaphore(0);
    /** Sleeps until the test wakes it; the fake clock is moved by the test. */
    final Sleeper held = d -> {
        slept.add(d);
        asleep.release();
        wake.acquire();
    };

    String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Lets the heartbeat's current sleep end after {@code d}, and waits until it is asleep again (its beat done). */
    void beatAfter(Duration d) throws InterruptedException {
        clock.advance(d);
        wake.release();
        assertThat(asleep.tryAcquire(10, TimeUnit.SECONDS)).as("the heartbeat sleeps again").isTrue();
    }

    @Test
    void inALogEachTrialStartsAndEndsWithALineAndBeatsEveryThirtySecondsWithItsLastMetricLine()
            throws InterruptedException {
        try (Progress progress = new Progress(out, false, false, clock, held, Progress.HEARTBEAT)) {
            progress.runStarted(1, Spec.defaults("p"));
            assertThat(asleep.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
            progress.trialStarted(Trial.running(1, Map.of()));
            beatAfter(Duration.ofSeconds(30));
            progress.trialOutput(1, "loading the digits");
            progress.trialOutput(1, "epoch=3 accuracy=0.91");
            progress.trialOutput(1, "saving");
            beatAfter(Duration.ofSeconds(48));
            progress.trialFinished(Trial.succeeded(1, Map.of(), 0.93, List.of(), 78_000), null);
            beatAfter(Duration.ofSeconds(30));
        }

        assertThat(printed()).isEqualTo("""
                trial 1/1  started
                trial 1/1  running 30.0s  · last: no accuracy line yet
                trial 1/1  running 1m18s  · last: epoch=3 accuracy=0.91
                trial 1/1  accuracy 0.9300
                """);
        assertThat(slept).startsWith(Progress.HEARTBEAT, Progress.HEARTBEAT, Progress.HEARTBEAT);
    }

    @Test
    void onATerminalTheProgressLineShowsTheElapsedTime() throws InterruptedException {
        try (Progress progress = new Progress(out, true, false, clock, held, Progress.TICK)) {
            progress.runStarted(1, Spec.defaults("p"));
            assertThat(asleep.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
            progress.trialStarted(Trial.running(1, Map.of()));
            beatAfter(Duration.ofSeconds(1));
            beatAfter(Duration.ofSeconds(77));
        }

        assertThat(printed()).isEqualTo("\r\033[Ktrial 1/1  running …\r\033[Ktrial 1/1  running 1.0s …"
                + "\r\033[Ktrial 1/1  running 1m18s …");
        assertThat(slept).startsWith(Duration.ofSeconds(1));
    }

    @Test
    void honeRunInALogPrintsWhenTheTrialStartsAndEnds() throws IOException {
        Path dir = RunCommandTest.project(home.resolve("p"), null, "print('accuracy=0.9')\n");
        Cli cli = new Cli(home);

        assertThat(cli.run("run", dir.toString(), "--executor", "local")).as(cli.err()).isZero();

        assertThat(cli.out()).contains("\ntrial 1/1  started\ntrial 1/1  accuracy 0.9000  · best 0.9000 (trial 1)\n");
    }
}
