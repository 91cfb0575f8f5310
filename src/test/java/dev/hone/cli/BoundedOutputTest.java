package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.metrics.MetricPoint;
import dev.hone.store.Store;
import dev.hone.store.Stores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trial's output cannot grow what Hone keeps without bound: its log holds at most {@code limits.log_size} (64 MiB
 * unless hone-server.yaml says otherwise), its intermediate values at most 10,000. {@code hone run} on local
 * processes, a real store.
 */
class BoundedOutputTest {

    @TempDir
    Path home;

    Path trialLog(Cli cli) {
        return cli.data().resolve("runs/1/trials/1/train.log");
    }

    @Test
    void aTrialPrintingSeventyMegabytesKeepsTheBeginningAndTheEndOfItsLogWithin64MiB() throws IOException {
        Path dir = RunCommandTest.project(home.resolve("chatty"), null, """
                import sys
                print("first line")
                line = "x" * 99 + "\\n"
                for _ in range(700):
                    sys.stdout.write(line * 1000)
                print("accuracy=0.9")
                """);
        Cli cli = new Cli(home);

        assertThat(cli.run("run", dir.toString(), "--executor", "local")).isEqualTo(0);

        Path log = trialLog(cli);
        assertThat(Files.size(log)).isLessThanOrEqualTo(64L * 1024 * 1024).isGreaterThan(60L * 1024 * 1024);
        try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
            List<String> markers = lines.filter(l -> l.startsWith("--- hone: ")).toList();
            assertThat(markers).singleElement().asString().matches("--- hone: [0-9]+ bytes of output cut here "
                    + "\\(limits.log_size is 64m: a log keeps its beginning and its end\\) ---");
        }
        assertThat(Files.readString(log).lines().findFirst()).hasValue("first line");
        assertThat(Files.readString(log)).endsWith("x\naccuracy=0.9\n");
        assertThat(cli.out()).contains("accuracy 0.9000");
    }

    @Test
    void theInstallationSetsTheLimit() throws IOException {
        Path dir = RunCommandTest.project(home.resolve("chatty"), null, """
                import sys
                sys.stdout.write(("y" * 99 + "\\n") * 30000)
                print("accuracy=0.9")
                """);
        Path config = Files.writeString(home.resolve("hone-server.yaml"), "limits: {log_size: 1m}\n");
        Cli cli = new Cli(home);

        assertThat(cli.run("run", dir.toString(), "--executor", "local", "--config", config.toString()))
                .isEqualTo(0);

        assertThat(Files.size(trialLog(cli))).isLessThanOrEqualTo(1024 * 1024).isGreaterThan(1000 * 1000);
        assertThat(Files.readString(trialLog(cli))).contains("(limits.log_size is 1m: ").endsWith("accuracy=0.9\n");
    }

    @Test
    void aTrialReportingTwentyFiveThousandEpochsKeepsTenThousandOfThemAndTheLast() throws IOException {
        Path dir = RunCommandTest.project(home.resolve("epochs"), null, """
                for epoch in range(1, 25001):
                    print(f"epoch={epoch} accuracy={epoch / 25000}")
                """);
        Cli cli = new Cli(home);

        assertThat(cli.run("run", dir.toString(), "--executor", "local")).isEqualTo(0);

        try (Store store = Stores.open(cli.data().resolve("hone.db").toString())) {
            List<MetricPoint> kept = store.trials(1).getFirst().trial().intermediate();
            assertThat(kept).hasSizeLessThanOrEqualTo(10_000).hasSizeGreaterThan(5_000);
            assertThat(kept.getFirst()).isEqualTo(new MetricPoint(1, 1 / 25000.0));
            assertThat(kept.getLast()).isEqualTo(new MetricPoint(25_000, 1.0));
        }
    }
}
