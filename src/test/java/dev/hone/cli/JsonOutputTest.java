package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --json} is the same everywhere: {@code --json} prints JSON on standard output, {@code --json-file FILE} writes
 * it, {@code -} means standard output, and {@code hone run --json FILE} keeps writing FILE (DESIGN §1, §7).
 */
class JsonOutputTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    Path project() throws IOException {
        return RunCommandTest.project(home.resolve("p"), null, "print('accuracy=0.9')\n");
    }

    @Test
    void runJsonPrintsTheSummaryAloneOnStandardOutputWithTheRunId() throws IOException {
        Cli cli = new Cli(home);

        assertThat(cli.run("run", project().toString(), "--executor", "local", "--json")).as(cli.err()).isZero();

        JsonNode s = JSON.readTree(cli.out());
        assertThat(s.get("run").asLong()).isEqualTo(1);
        assertThat(s.get("status").asText()).isEqualTo("succeeded");
        assertThat(s.get("trials").isArray()).isTrue();
        assertThat(cli.err()).contains("training succeeded: accuracy 0.9000 (run 1)");
    }

    @Test
    void aDashMeansStandardOutputNotAFileNamedDash() throws IOException {
        Cli cli = new Cli(home);

        assertThat(cli.run("run", project().toString(), "--executor", "local", "--json", "-")).isZero();
        assertThat(JSON.readTree(cli.out()).get("run").asLong()).isEqualTo(1);
        assertThat(cli.run("run", project().toString(), "--executor", "local", "--json-file", "-")).isZero();
        assertThat(JSON.readTree(cli.out()).get("run").asLong()).isEqualTo(2);
        assertThat(Path.of("-")).doesNotExist();
    }

    @Test
    void runJsonFileAndTheOldJsonFileWriteTheSameFile() throws IOException {
        Cli cli = new Cli(home);
        Path old = home.resolve("old.json");
        Path file = home.resolve("new.json");

        assertThat(cli.run("run", project().toString(), "--executor", "local", "--json", old.toString())).isZero();
        assertThat(cli.out()).contains("training succeeded: accuracy 0.9000 (run 1)");
        assertThat(cli.run("run", project().toString(), "--executor", "local", "--json-file", file.toString()))
                .isZero();

        assertThat(JSON.readTree(old.toFile()).get("run").asLong()).isEqualTo(1);
        assertThat(JSON.readTree(file.toFile()).get("run").asLong()).isEqualTo(2);
    }

    @Test
    void bothJsonAndJsonFileIsAUsageError() throws IOException {
        Cli cli = new Cli(home);

        assertThat(cli.run("run", project().toString(), "--json", "a.json", "--json-file", "b.json")).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("hone: --json and --json-file both say where the summary goes: give one of "
                + "them\nRun `hone run --help` for the options.\n");
    }

    @Test
    void runsAndTrialsTakeJsonAndJsonFileAlike() throws IOException {
        Cli cli = new Cli(home);
        assertThat(cli.run("run", project().toString(), "--executor", "local", "-q")).isZero();
        Path runs = home.resolve("runs.json");
        Path trials = home.resolve("trials.json");

        assertThat(cli.run("runs", "--json")).isZero();
        JsonNode printed = JSON.readTree(cli.out());
        assertThat(cli.run("runs", "--json-file", runs.toString())).isZero();
        assertThat(cli.out()).isEmpty();
        assertThat(JSON.readTree(runs.toFile())).isEqualTo(printed);
        assertThat(printed.get(0).get("trial_count").asInt()).isEqualTo(1);
        assertThat(printed.get(0).get("trials").asInt()).as("kept as it was").isEqualTo(1);

        assertThat(cli.run("trials", "--json")).isZero();
        JsonNode summary = JSON.readTree(cli.out());
        assertThat(cli.run("trials", "--json-file", trials.toString(), "1")).isZero();
        assertThat(JSON.readTree(trials.toFile())).isEqualTo(summary);
        assertThat(summary.get("run").asLong()).isEqualTo(1);
        assertThat(summary.get("trials").get(0).get("number").asInt()).isEqualTo(1);
    }
}
