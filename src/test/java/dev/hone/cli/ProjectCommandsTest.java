package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hone.spec.Spec;
import dev.hone.spec.SpecLoader;
import dev.hone.tune.Direction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hone init}, {@code validate}, {@code trials} and {@code runs} on real directories and a real store. */
class ProjectCommandsTest {

    @TempDir
    Path home;

    @Test
    void initWritesAHoneYamlFromWhatItDetectsThatValidates() throws IOException {
        Path dir = Files.createDirectories(home.resolve("mnist"));
        Files.writeString(dir.resolve("train.py"), """
                import torch
                from torch import nn
                loss = 0.1
                print(f"val_loss: {loss}")
                """);
        Cli cli = new Cli(home);

        assertThat(cli.run("init", dir.toString())).isZero();

        assertThat(cli.out()).contains("entrypoint train.py, framework pytorch, metric val_loss");
        Spec spec = SpecLoader.load(dir.resolve("hone.yaml"), "x", Map.of());
        assertThat(spec.name()).isEqualTo("mnist");
        assertThat(spec.train().command()).isEqualTo("python3 train.py");
        assertThat(spec.metric().name()).isEqualTo("val_loss");
        assertThat(spec.metric().direction()).isEqualTo(Direction.MINIMIZE);
        assertThat(cli.run("validate", dir.toString())).isZero();
        assertThat(cli.out()).contains("is valid").contains("framework: pytorch");
    }

    @Test
    void initWritesTheDirectorysNameMadeAProjectNameAndKeepsTheCommentsInOneColumn() throws IOException {
        Path dir = Files.createDirectories(home.resolve("digits: #2"));
        Files.writeString(dir.resolve("main.py"), "print('accuracy=0.9')\n");
        Cli cli = new Cli(home);

        assertThat(cli.run("init", dir.toString())).isZero();

        List<String> lines = Files.readAllLines(dir.resolve("hone.yaml"));
        assertThat(lines).contains("name: digits---2");
        assertThat(SpecLoader.load(dir.resolve("hone.yaml"), "x", Map.of()).name()).isEqualTo("digits---2");
        assertThat(cli.run("validate", dir.toString())).as(cli.err()).isZero();
        assertThat(cli.out()).contains("  project:   digits---2\n");
        assertThat(lines.stream().filter(l -> !l.startsWith("#") && !l.startsWith("  # ") && l.contains(" # ")))
                .extracting(l -> l.indexOf(" # ") + 1).containsOnly(33);
    }

    @Test
    void initQuotesANameYamlWouldReadAsANumberOrABoolean() throws IOException {
        for (String name : List.of("2024", "1e3", "true")) {
            Path dir = Files.createDirectories(home.resolve(name));
            Files.writeString(dir.resolve("main.py"), "print('accuracy=0.9')\n");
            Cli cli = new Cli(home);

            assertThat(cli.run("init", dir.toString())).isZero();

            assertThat(Files.readAllLines(dir.resolve("hone.yaml"))).contains("name: \"" + name + "\"");
            assertThat(SpecLoader.load(dir.resolve("hone.yaml"), "x", Map.of()).name()).isEqualTo(name);
        }
    }

    @Test
    void initRefusesToOverwriteWithoutForce() throws IOException {
        Path dir = Files.createDirectories(home.resolve("p"));
        Files.writeString(dir.resolve("main.py"), "print('accuracy=1')\n");
        Files.writeString(dir.resolve("hone.yaml"), "name: mine\n");
        Cli cli = new Cli(home);

        assertThat(cli.run("init", dir.toString())).isEqualTo(2);

        assertThat(cli.err()).contains("hone.yaml already exists: edit it, or run `hone init --force` to replace it");
        assertThat(dir.resolve("hone.yaml")).hasContent("name: mine");
    }

    @Test
    void validateReportsEveryProblemAndExitsTwo() throws IOException {
        Path dir = Files.createDirectories(home.resolve("v"));
        Files.writeString(dir.resolve("main.py"), "");
        Files.writeString(dir.resolve("hone.yaml"), "metric:\n  target: high\ntune:\n  parallel: 0\n");
        Cli cli = new Cli(home);

        assertThat(cli.run("validate", dir.toString())).isEqualTo(2);

        assertThat(cli.err()).contains("hone.yaml:2:11: metric.target").contains("hone.yaml:4:13: tune.parallel");
    }

    @Test
    void validateRefusesANameThatIsNoProjectName() throws IOException {
        Path dir = Files.createDirectories(home.resolve("names"));
        Files.writeString(dir.resolve("main.py"), "");
        Files.writeString(dir.resolve("hone.yaml"), "name: a/b\n");
        Cli cli = new Cli(home);

        assertThat(cli.run("validate", dir.toString())).isEqualTo(2);
        assertThat(cli.err()).isEqualTo(dir.resolve("hone.yaml") + ":1:7: name: must be letters, digits, '.', '_' "
                + "and '-', starting with a letter or digit, at most 100 characters (it names a directory), got "
                + "\"a/b\" — e.g. \"a-b\"\nFix this in " + dir.resolve("hone.yaml") + " and run `hone validate` to "
                + "check.\n");
    }

    @Test
    void aDirectorysNameBecomesAProjectName() throws IOException {
        Path dir = Files.createDirectories(home.resolve(".my digits"));
        Files.writeString(dir.resolve("main.py"), "print('accuracy=0.9')\n");
        Cli cli = new Cli(home);

        assertThat(cli.run("validate", dir.toString())).isZero();
        assertThat(cli.out()).contains("  project:   my-digits\n");
        assertThat(cli.run("run", dir.toString(), "--executor", "local", "-q")).as(cli.err()).isZero();
        assertThat(home.resolve(".hone/projects/my-digits/model")).isDirectory();
    }

    @Test
    void trialsShowsTheLatestRunAndRunsListsIt() {
        Cli cli = new Cli(home);
        assertThat(cli.run("run", Cli.example("quickstart").toString(), "-q")).isZero();

        assertThat(cli.run("trials")).isZero();
        assertThat(cli.out()).startsWith("run 1 · quickstart · target_reached").contains("best: trial");

        assertThat(cli.run("trials", "--json")).isZero();
        assertThat(cli.out()).contains("\"status\" : \"target_reached\"").contains("\"exit_code\" : 0");

        assertThat(cli.run("runs", "--json")).isZero();
        assertThat(cli.out()).contains("\"id\" : 1").contains("\"project\" : \"quickstart\"");
    }

    @Test
    void trialsShowsTheMetricTheRunWasJudgedByWhateverTheEnvironmentIsNow() throws IOException {
        Path dir = Files.createDirectories(home.resolve("digits"));
        Files.writeString(dir.resolve("main.py"), "print('accuracy=0.7')\n");
        Files.writeString(dir.resolve("hone.yaml"), """
                train:
                  env: {API_TOKEN: "${HONE_TEST_API_TOKEN}"}
                metric: {name: accuracy, target: 0.9}
                """);
        Cli cli = new Cli(home);
        cli.env.put("HONE_TEST_API_TOKEN", "t0ken-for-the-test");
        assertThat(cli.run("run", dir.toString(), "-q", "--target", "0.5")).isZero();

        cli.env.remove("HONE_TEST_API_TOKEN");
        assertThat(cli.run("trials", "--json")).isZero();

        JsonNode summary = new ObjectMapper().readTree(cli.out());
        assertThat(summary.get("status").asText()).isEqualTo("target_reached");
        assertThat(summary.get("metric").toString()).as("the target of --target, though hone.yaml no longer loads")
                .isEqualTo("{\"name\":\"accuracy\",\"direction\":\"maximize\",\"target\":0.5,\"target_sign\":\"≥\"}");
    }

    @Test
    void trialsOfARunThatDoesNotExistSaysWhereToLook() {
        Cli cli = new Cli(home);

        assertThat(cli.run("trials", "42")).isEqualTo(2);

        assertThat(cli.err()).contains("no run 42 in " + cli.data() + ": `hone runs` lists them");
    }

    @Test
    void runsOfAnUnknownProjectSaysSoAndNamesTheKnownOnes() throws IOException {
        Cli cli = new Cli(home);
        assertThat(cli.run("runs", "--project", "nope")).isEqualTo(2);
        assertThat(cli.err()).isEqualTo("hone: no project nope in " + cli.data()
                + ": it has no runs yet; start one with `hone run DIR`\n");
        Path dir = RunCommandTest.project(home.resolve("digits"), null, "print('accuracy=0.9')\n");
        assertThat(cli.run("run", dir.toString(), "--executor", "local", "-q")).isZero();

        assertThat(cli.run("runs", "--project", "nope")).isEqualTo(2);

        assertThat(cli.err()).isEqualTo("hone: no project nope in " + cli.data() + ": the projects are digits\n");
        assertThat(cli.run("runs", "--project", "digits")).isZero();
        assertThat(cli.out()).contains("digits");
    }

    @Test
    void runTakesItsDataDirectoryFromTheInstallationSettings() throws IOException {
        Path config = home.resolve("hone-server.yaml");
        Path data = home.resolve("elsewhere");
        Files.writeString(config, "data_dir: " + data + "\n");
        Cli cli = new Cli(home);

        assertThat(cli.run("run", Cli.example("quickstart").toString(), "-q", "--config", config.toString())).isZero();

        assertThat(data.resolve("hone.db")).exists();
        assertThat(cli.data().resolve("hone.db")).doesNotExist();
        assertThat(cli.run("runs", "--data", data.toString())).isZero();
        assertThat(cli.out()).contains("quickstart");
    }

    @Test
    void anInvalidSettingsFileIsReportedWithItsLine() throws IOException {
        Path config = home.resolve("hone-server.yaml");
        Files.writeString(config, "listen: 127.0.0.1:8080\nlimits: {runs: 0}\n");
        Cli cli = new Cli(home);

        assertThat(cli.run("run", Cli.example("quickstart").toString(), "--config", config.toString())).isEqualTo(2);

        assertThat(cli.err()).contains("hone-server.yaml:2:").contains("limits.runs");
    }

    @Test
    void anUnknownFlagIsAUsageError() {
        Cli cli = new Cli(home);

        assertThat(cli.run("run", "--max-trails", "3")).isEqualTo(2);

        assertThat(cli.err()).contains("Unknown option: '--max-trails'").contains("hone run --help");
    }
}
