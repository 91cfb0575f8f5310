package dev.hone.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.tune.Direction;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleNotifierTest {

    private static final Event.Origin ORIGIN = new Event.Origin("digits", "0caebc8", "Ana <ana@example.com>");
    private static final Event FAILED = new Event.TrainingFailed(ORIGIN, 3, "ValueError: no data (exit 1)", 1,
            List.of("loading", "ValueError: no data"));
    private static final Event REACHED = new Event.TargetReached(ORIGIN, "accuracy", Direction.MAXIMIZE, 0.97, 0.96,
            4, 4, Map.of("C", 0.5), Duration.ofSeconds(12));
    private static final Event RESTARTED = new Event.ContainerRestarted(ORIGIN, "hone-serve-digits", 1, 3,
            "exited with code 137", List.of());

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    private String send(ConsoleNotifier console, Event event) {
        console.send(new Notice(7L, event, "https://hone.example.com/runs/7", "k"));
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theServersConsolePrintsEveryEventWholeWithItsLink() {
        assertThat(send(new ConsoleNotifier(out), FAILED)).isEqualTo("""

                [training_failed] digits: training failed in trial 3: ValueError: no data (exit 1)
                  commit: 0caebc8
                  author: Ana <ana@example.com>
                  exit code: 1
                  last log lines:
                    loading
                    ValueError: no data
                  run: https://hone.example.com/runs/7
                """);
    }

    @Test
    void oneRunsConsoleShowsOnlyTheFailingTrialsLastLines() {
        assertThat(send(new ConsoleNotifier(out, true), FAILED)).isEqualTo("""

                last log lines of trial 3:
                  loading
                  ValueError: no data
                """);
    }

    @Test
    void oneRunsConsoleLeavesAReachedTargetToTheRunsLastLine() {
        ConsoleNotifier console = new ConsoleNotifier(out, true);

        assertThat(console.send(new Notice(7L, REACHED, null, "k"))).isEqualTo("told by the run's last line");
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void oneRunsConsolePrintsWhatTheLastLineDoesNotTellWhole() {
        assertThat(send(new ConsoleNotifier(out, true), RESTARTED))
                .startsWith("\n[container_restarted] digits: container hone-serve-digits restarted (1 of 3): ")
                .endsWith("  run: https://hone.example.com/runs/7\n");
    }
}
