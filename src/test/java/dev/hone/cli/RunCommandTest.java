package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hone.exec.LocalExecutor;
import dev.hone.testing.Parts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hone run} end to end with the executor {@code auto} picks (Docker when the daemon has the image, as in CI;
 * else local processes), a real SQLite store. Tests about one executor say so with {@code --executor}.
 */
class RunCommandTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    static JsonNode read(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }

    static Path project(Path dir, String hone, String mainPy) throws IOException {
        Files.createDirectories(dir);
        if (hone != null) {
            Files.writeString(dir.resolve("hone.yaml"), hone);
        }
        Files.writeString(dir.resolve("main.py"), mainPy);
        return dir;
    }

    @Nested
    class TheQuickstart {

        @Test
        void reachesItsTargetAndWritesTheSummary() throws IOException {
            Cli cli = new Cli(home);
            Path out = home.resolve("out.json");

            int code = cli.run("run", Cli.example("quickstart").toString(), "--json", out.toString());

            assertThat(code).as(cli.out() + cli.err()).isZero();
            JsonNode s = read(out);
            List<String> keys = new ArrayList<>();
            s.fieldNames().forEachRemaining(keys::add);
            assertThat(keys).containsExactly("run", "status", "project", "commit", "metric", "best", "trials", "events",
                    "notifications");
            assertThat(s.get("status").asText()).isEqualTo("target_reached");
            assertThat(s.get("project").asText()).isEqualTo("quickstart");
            assertThat(s.get("metric").get("name").asText()).isEqualTo("accuracy");
            assertThat(s.get("metric").get("direction").asText()).isEqualTo("maximize");
            assertThat(s.get("metric").get("target").asDouble()).isEqualTo(0.95);
            assertThat(s.get("metric").get("target_sign").asText()).isEqualTo("≥");
            JsonNode trials = s.get("trials");
            assertThat(trials.size()).isGreaterThan(1);
            JsonNode last = trials.get(trials.size() - 1);
            List<String> trialKeys = new ArrayList<>();
            last.fieldNames().forEachRemaining(trialKeys::add);
            assertThat(trialKeys).containsExactly("number", "state", "value", "params", "exit_code", "duration_ms",
                    "error", "metrics", "resources");
            for (int i = 0; i < trials.size(); i++) {
                assertThat(trials.get(i).get("number").asInt()).isEqualTo(i + 1);
            }
            assertThat(last.get("value").asDouble()).isGreaterThanOrEqualTo(0.95);
            assertThat(s.get("best").get("trial").asInt()).isEqualTo(trials.size());
            assertThat(s.get("best").get("value").asDouble()).isGreaterThanOrEqualTo(0.95);
            assertThat(s.get("best").get("params").has("learning_rate")).isTrue();
            assertThat(s.get("best").get("params").get("epochs").isIntegralNumber()).isTrue();
            assertThat(s.get("events").get(0).get("type").asText()).isEqualTo("target_reached");
            assertThat(s.get("notifications").get(0).get("channel").asText()).isEqualTo("console");
            assertThat(s.get("notifications").get(0).get("status").asText()).isEqualTo("sent");
            assertThat(cli.out()).contains("target reached: accuracy").contains(" in trial " + trials.size() + " of "
                    + trials.size() + " with ");
            assertThat(cli.data().resolve("projects/quickstart/model/model.json")).exists();
        }

        @Test
        void aSecondRunShowsBothInTheHistory() {
            Cli cli = new Cli(home);
            assertThat(cli.run("run", Cli.example("quickstart").toString(), "-q")).isZero();
            assertThat(cli.run("run", Cli.example("quickstart").toString(), "-q")).isZero();

            assertThat(cli.run("runs")).isZero();

            List<String> rows = cli.out().lines().filter(l -> l.contains("quickstart")).toList();
            assertThat(rows).hasSize(2);
            assertThat(rows.get(0)).startsWith("2 ").contains("target_reached");
            assertThat(rows.get(1)).startsWith("1 ").contains("target_reached");
        }

        @Test
        void theDemoRunsItAndPrintsTheTrialTable() {
            Cli cli = new Cli(home);

            int code = cli.run("demo");

            assertThat(code).as(cli.err()).isZero();
            assertThat(cli.out()).contains("trial  state").contains("succeeded").contains("learning_rate=")
                    .contains("target reached").contains("model: " + cli.data().resolve("projects/quickstart/model"));
        }
    }

    @Test
    void aMinimizedTargetReadsLessOrEqualInTheProgressTheNotificationAndTheSummary() throws IOException {
        Path dir = project(home.resolve("loss"), "metric: {name: loss, direction: minimize, target: 0.2}\n",
                "print('loss=0.125')\n");
        Cli cli = new Cli(home);
        Path out = home.resolve("out.json");

        int code = cli.run("run", dir.toString(), "--executor", "local", "--json", out.toString());

        assertThat(code).as(cli.out() + cli.err()).isZero();
        assertThat(cli.out()).contains("trial 1/1  loss 0.1250  · best 0.1250 (trial 1)  · target ≤ 0.2000");
        assertThat(read(out).get("events").get(0).get("message").asText())
                .isEqualTo("loss: loss 0.125 ≤ 0.2 after 1 trial");
        JsonNode metric = read(out).get("metric");
        assertThat(metric.get("direction").asText()).isEqualTo("minimize");
        assertThat(metric.get("target_sign").asText()).isEqualTo("≤");
    }

    /** The end of {@code hone run}: the trial table, one line that says how it ended, where the model is. */
    @Nested
    class TheEnd {

        @Test
        void aSuccessfulRunEndsWithTheTableTheOutcomeAndWhereTheModelIs() throws IOException {
            Path dir = project(home.resolve("p"), null, "print('accuracy=0.9')\n");
            Cli cli = new Cli(home);

            assertThat(cli.run("run", dir.toString(), "--executor", "local")).as(cli.err()).isZero();

            List<String> lines = cli.out().lines().toList();
            assertThat(lines.subList(lines.size() - 4, lines.size())).satisfiesExactly(
                    header -> assertThat(header).isEqualTo("trial  state         accuracy      time  params"),
                    row -> assertThat(row).matches("    1  succeeded       0\\.9000 +\\d+\\.\\ds  -"),
                    outcome -> assertThat(outcome).isEqualTo("training succeeded: accuracy 0.9000 (run 1)"),
                    model -> assertThat(model).isEqualTo("model: " + cli.data().resolve("projects/p/model")));
            assertThat(cli.out()).doesNotContain("best: trial");
        }

        @Test
        void oneTrialIsOneTrial() throws IOException {
            Path dir = project(home.resolve("p"), "metric: {target: 0.99}\n", "print('accuracy=0.5')\n");
            Cli cli = new Cli(home);

            assertThat(cli.run("run", dir.toString(), "--executor", "local")).as(cli.err()).isEqualTo(1);

            assertThat(cli.out())
                    .endsWith("\ntarget missed: best accuracy 0.5000 after 1 trial (budget spent; run 1)\n");
        }

        @Test
        void parametersReadExactWhereTheyAreCopiedAndShortInTheTable() throws IOException {
            Path dir = project(home.resolve("svc"), """
                    metric: {target: 0.9}
                    tune: {strategy: script, rebuild: python3 rebuild.py}
                    """, """
                    import os
                    print('accuracy=' + ('0.95' if 'HONE_PARAM_C' in os.environ else '0.5'))
                    """);
            Files.writeString(dir.resolve("rebuild.py"),
                    "print('{\"C\": 0.41714626873848937, \"gamma\": 3.2360388292088815e-4, \"kernel\": \"rbf\"}')\n");
            Cli cli = new Cli(home);
            Path out = home.resolve("out.json");

            assertThat(cli.run("run", dir.toString(), "--executor", "local", "--json", out.toString()))
                    .as(cli.out() + cli.err()).isZero();

            String exact = "C=0.41714626873848937, gamma=3.2360388292088815e-4, kernel=rbf";
            assertThat(cli.out()).containsPattern("\n    2  succeeded       0\\.9500 +\\d+\\.\\ds  C=0\\.4171 gamma=3\\.236e-4 kernel=rbf\n")
                    .endsWith("\ntarget reached: accuracy 0.9500 in trial 2 of 2 with " + exact + " (run 1)\nmodel: "
                            + cli.data().resolve("projects/svc/model") + "\n")
                    .doesNotContain("E-4").doesNotContain("{C=");
            JsonNode best = read(out).get("best").get("params");
            assertThat(best.get("C").asDouble()).isEqualTo(0.41714626873848937);
            assertThat(best.get("gamma").asDouble()).isEqualTo(3.2360388292088815e-4);
            assertThat(cli.run("trials")).isZero();
            assertThat(cli.out()).contains("best: trial 2 · accuracy 0.9500 · " + exact + "\n");
        }

        @Test
        void theOutcomeIsSaidOnceByTheLastLineNotAgainByTheConsolesEvent() throws IOException {
            Path dir = project(home.resolve("p"), "metric: {target: 0.8}\n", "print('accuracy=0.9')\n");
            Cli cli = new Cli(home);

            Path json = home.resolve("out.json");

            assertThat(cli.run("run", dir.toString(), "--executor", "local", "--json-file", json.toString()))
                    .as(cli.err()).isZero();

            assertThat(cli.out()).doesNotContain("[target_reached]").doesNotContain("≥ 0.8 after 1 trial")
                    .containsOnlyOnce("target reached")
                    .endsWith("\ntarget reached: accuracy 0.9000 in trial 1 of 1 (run 1)\nmodel: "
                            + cli.data().resolve("projects/p/model") + "\n");
            JsonNode console = read(json).get("notifications").get(0);
            assertThat(console.get("channel").asText()).isEqualTo("console");
            assertThat(console.get("detail").asText()).isEqualTo("told by the run's last line");
        }

        @Test
        void aMissedTargetIsSaidOnce() throws IOException {
            Path dir = project(home.resolve("p"), "metric: {target: 0.99}\n", "print('accuracy=0.5')\n");
            Cli cli = new Cli(home);

            assertThat(cli.run("run", dir.toString(), "--executor", "local")).as(cli.err()).isEqualTo(1);

            assertThat(cli.out()).doesNotContain("[target_missed]").doesNotContain("missed after")
                    .containsOnlyOnce("target missed");
        }

        @Test
        void aFailedRunShowsTheFailingTrialsLastLinesThenTheTableThenOneLine() throws IOException {
            Path dir = project(home.resolve("broken"), null,
                    "print('loading')\nraise SystemExit('no training data in data/train.csv')\n");
            Cli cli = new Cli(home);

            assertThat(cli.run("run", dir.toString(), "--executor", "local")).as(cli.err()).isEqualTo(3);

            String out = cli.out();
            assertThat(out).doesNotContain("[training_failed]").doesNotContain("broken: training failed")
                    .containsOnlyOnce("training failed in trial 1")
                    .contains("\nlast log lines of trial 1:\n  loading\n  no training data in data/train.csv\n\n"
                            + "trial  state ")
                    .endsWith("\ntraining failed in trial 1: no training data in data/train.csv (exit 1) "
                            + "(run 1; logs: hone trials 1)\n");
        }
    }

    @Nested
    class WhenTrainingFails {

        @Test
        void anExceptionEndsTheRunFailedWithTheErrorInTheEvent() throws IOException {
            Path dir = project(home.resolve("broken"), null,
                    "print('loading')\nraise ValueError('no training data in data/train.csv')\n");
            Cli cli = new Cli(home);
            Path out = home.resolve("out.json");

            int code = cli.run("run", dir.toString(), "--json", out.toString());

            assertThat(code).isEqualTo(3);
            JsonNode s = read(out);
            assertThat(s.get("status").asText()).isEqualTo("failed");
            assertThat(s.get("best").isNull()).isTrue();
            assertThat(s.get("trials").get(0).get("state").asText()).isEqualTo("failed");
            assertThat(s.get("trials").get(0).get("exit_code").asInt()).isEqualTo(1);
            assertThat(s.get("trials").get(0).get("value").isNull()).isTrue();
            JsonNode event = s.get("events").get(0);
            assertThat(event.get("type").asText()).isEqualTo("training_failed");
            assertThat(event.get("message").asText()).isEqualTo(
                    "broken: training failed in trial 1: ValueError: no training data in data/train.csv (exit 1)");
            assertThat(cli.out()).contains("Traceback").contains("loading");
        }

        @Test
        void aSecretFromTheEnvironmentIsMaskedInTheEventTheConsoleAndTheLog() throws IOException {
            Path dir = project(home.resolve("leaky"), "train: {env: {API_TOKEN: \"${HONE_TEST_TOKEN}\"}}\n", """
                    import os
                    token = os.environ['API_TOKEN']
                    print('using token ' + token)
                    raise RuntimeError('login failed for ' + token + ' (token ' + token + ')')
                    """);
            Cli cli = new Cli(home);
            cli.env.put("HONE_TEST_TOKEN", "tok-7f3a9c");
            Path out = home.resolve("out.json");

            int code = cli.run("run", dir.toString(), "--executor", "local", "--json", out.toString());

            assertThat(code).as(cli.out() + cli.err()).isEqualTo(3);
            JsonNode s = read(out);
            assertThat(s.get("events").get(0).get("type").asText()).isEqualTo("training_failed");
            assertThat(s.get("events").get(0).get("message").asText()).isEqualTo(
                    "leaky: training failed in trial 1: RuntimeError: login failed for *** (token ***) (exit 1)");
            assertThat(Files.readString(out)).doesNotContain("tok-7f3a9c");
            assertThat(cli.out()).contains("using token ***")
                    .contains("RuntimeError: login failed for *** (token ***)").doesNotContain("tok-7f3a9c");
            assertThat(cli.err()).doesNotContain("tok-7f3a9c");
            String log = Files.readString(cli.data().resolve("runs/1/trials/1/train.log"));
            assertThat(log).startsWith("using token ***\nTraceback (most recent call last):\n")
                    .endsWith("\nRuntimeError: login failed for *** (token ***)\n").doesNotContain("tok-7f3a9c");
        }

        @Test
        void aSecretInTheCommandLineIsMaskedInTheEventTheConsoleTheLogAndValidate() throws IOException {
            Path dir = project(home.resolve("argv"), "train: {command: \"python3 main.py --token ${HF_TOKEN}\"}\n", """
                    import sys
                    raise SystemExit('rejected ' + sys.argv[2])
                    """);
            Cli cli = new Cli(home);
            cli.env.put("HF_TOKEN", "hf-4c9d1e");
            Path out = home.resolve("out.json");

            int code = cli.run("run", dir.toString(), "--executor", "local", "--json", out.toString());

            assertThat(code).as(cli.out() + cli.err()).isEqualTo(3);
            assertThat(read(out).get("events").get(0).get("message").asText())
                    .isEqualTo("argv: training failed in trial 1: rejected *** (exit 1)");
            assertThat(Files.readString(out)).doesNotContain("hf-4c9d1e");
            assertThat(cli.out()).contains("rejected ***").doesNotContain("hf-4c9d1e");
            assertThat(cli.err()).doesNotContain("hf-4c9d1e");
            assertThat(Files.readString(cli.data().resolve("runs/1/trials/1/train.log"))).isEqualTo("rejected ***\n");

            Cli validate = new Cli(home);
            validate.env.put("HF_TOKEN", "hf-4c9d1e");
            assertThat(validate.run("validate", dir.toString())).isZero();
            assertThat(validate.out()).contains("  command:   python3 main.py --token ***\n")
                    .doesNotContain("hf-4c9d1e");
        }

        @Test
        void aScriptThatPrintsNoMetricFailsWithWhatToPrint() throws IOException {
            Path dir = project(home.resolve("silent"), null, "print('done')\n");
            Cli cli = new Cli(home);
            Path out = home.resolve("out.json");

            assertThat(cli.run("run", dir.toString(), "--json", out.toString())).isEqualTo(3);

            assertThat(read(out).get("trials").get(0).get("error").asText()).startsWith("printed no accuracy value");
        }

        @Test
        void aDecimalCommaIsIgnoredWithAWarningThatSaysWhy() throws IOException {
            Path dir = project(home.resolve("comma"), null, "print('accuracy=9,5')\n");
            Cli cli = new Cli(home);
            Path out = home.resolve("out.json");

            assertThat(cli.run("run", dir.toString(), "--executor", "local", "--json", out.toString()))
                    .as(cli.out() + cli.err()).isEqualTo(3);

            String why = "ignored \"accuracy=9,5\": a comma is not a decimal point, so Hone does not read it as a "
                    + "number — print accuracy=9.5";
            assertThat(cli.out()).contains("hone: trial 1: " + why + "\n");
            assertThat(read(out).get("trials").get(0).get("error").asText())
                    .isEqualTo("printed no accuracy value: " + why);
        }

        @Test
        void aNanMetricIsNoValue() throws IOException {
            Path dir = project(home.resolve("nan"), null, "print('accuracy=nan')\n");
            Cli cli = new Cli(home);
            Path out = home.resolve("out.json");

            assertThat(cli.run("run", dir.toString(), "--json", out.toString())).isEqualTo(3);

            assertThat(read(out).get("trials").get(0).get("error").asText()).startsWith("accuracy is NaN");
        }

        @Test
        void aCommandThatDoesNotExistSaysSo() throws IOException {
            Path dir = project(home.resolve("typo"), "train: {command: pythn3 main.py}\n", "print(1)\n");
            Cli cli = new Cli(home);
            Path out = home.resolve("out.json");

            assertThat(cli.run("run", dir.toString(), "--json", out.toString())).isEqualTo(3);

            assertThat(read(out).get("events").get(0).get("message").asText()).contains("pythn3").contains("not found");
        }

        @Test
        void aTrialPastItsTimeoutIsKilledWithItsChildren() throws IOException {
            String marker = "sleep 321.987";
            Path dir = project(home.resolve("slow"), "train: {command: sh main.sh, timeout: 1s}\n", "");
            Files.writeString(dir.resolve("main.sh"), marker + " &\nwait\n");
            Cli cli = new Cli(home);
            Path out = home.resolve("out.json");

            assertThat(cli.run("run", dir.toString(), "--json", out.toString())).isEqualTo(3);

            JsonNode trial = read(out).get("trials").get(0);
            assertThat(trial.get("state").asText()).isEqualTo("timed_out");
            assertThat(trial.get("error").asText()).isEqualTo("timed out after 1s");
            assertThat(ProcessHandle.allProcesses()
                    .anyMatch(p -> p.info().commandLine().orElse("").contains(marker))).isFalse();
        }
    }

    @Nested
    class TheTrialsEnvironment {

        @Test
        void verboseSaysWhichIsolationLocalTrialsGet() throws IOException {
            Path dir = project(home.resolve("isolated"), null, "print('accuracy=0.9')\n");
            Cli cli = new Cli(home);

            assertThat(cli.run("run", dir.toString(), "--executor", "local", "--verbose")).as(cli.err()).isZero();
            assertThat(cli.out().lines().filter(l -> l.startsWith("local trials: ")))
                    .containsExactly(LocalExecutor.isolation());
            assertThat(cli.run("run", dir.toString(), "--executor", "local")).isZero();
            assertThat(cli.out()).as("only with --verbose").doesNotContain("local trials: ");
        }

        @Test
        void isTheUsersLessHonesOwnVariablesWithTheInstallationsSecretsMasked() throws IOException {
            Path dir = project(home.resolve("envy"), "train: {env: {X: \"${SERVER_CREDS}\"}}\n", """
                    import os
                    for name in ['VIRTUAL_ENV', 'HONE_DEBUG', 'HONE_HOOK_RELAY', 'SERVER_CREDS', 'X']:
                        print(name + '=' + os.environ.get(name, '(unset)'))
                    print('accuracy=0.9')
                    """);
            Path config = Files.writeString(home.resolve("hone-server.yaml"), "api_token: \"${SERVER_CREDS}\"\n");
            Cli cli = new Cli(home);
            cli.env.putAll(Map.of("VIRTUAL_ENV", "/home/ana/venv", "HONE_DEBUG", "1",
                    "HONE_HOOK_RELAY", "tok-api-77e0a1", "SERVER_CREDS", "tok-creds-4410bd"));

            assertThat(cli.run("run", dir.toString(), "--executor", "local", "--config", config.toString()))
                    .as(cli.out() + cli.err()).isZero();
            assertThat(Files.readString(cli.data().resolve("runs/1/trials/1/train.log"))).isEqualTo("""
                    VIRTUAL_ENV=/home/ana/venv
                    HONE_DEBUG=(unset)
                    HONE_HOOK_RELAY=(unset)
                    SERVER_CREDS=(unset)
                    X=***
                    accuracy=0.9
                    """);
        }
    }

    /** Files of the checkout that are links to this machine's files: none is read or copied through the link. */
    @Nested
    class WithLinksOutOfTheCheckout {

        Path outside;

        static String refusal(String name, Path target, String dir) {
            return name + ": leads out of " + dir + " through a symbolic link (" + name + " -> " + target
                    + "): Hone reads only files inside " + dir + " — put the file itself there, not a link to it";
        }

        @org.junit.jupiter.api.BeforeEach
        void hostFiles() throws IOException {
            outside = Files.createDirectories(home.resolve("host"));
            Files.writeString(outside.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\n");
            Files.writeString(outside.resolve("train.py"), "print('accuracy=0.99')\n");
        }

        int run(Cli cli, Path dir, Path out) {
            return cli.run("run", dir.toString(), "--executor", "local", "--json", out.toString());
        }

        /** The one problem {@code hone run} finds in {@code dir}, having run nothing. */
        String problem(Path dir) throws IOException {
            Cli cli = new Cli(home);
            Path out = home.resolve("out.json");
            assertThat(run(cli, dir, out)).as(cli.out()).isEqualTo(2);
            JsonNode problems = read(out).get("problems");
            assertThat(problems.size()).isOne();
            return problems.get(0).asText();
        }

        @Test
        void aHoneYamlLinkedToAHostFileIsRefusedAndNothingOfItIsShown() throws IOException {
            Path dir = project(home.resolve("yaml"), null, "print('accuracy=1')\n");
            Files.createSymbolicLink(dir.resolve("hone.yaml"), outside.resolve("passwd"));
            Cli cli = new Cli(home);
            Path out = home.resolve("out.json");

            assertThat(run(cli, dir, out)).as(cli.out()).isEqualTo(2);
            String problem = refusal("hone.yaml", outside.resolve("passwd"), "the checkout");
            assertThat(cli.err()).isEqualTo("hone: invalid configuration:\n  " + problem + "\n");
            assertThat(read(out).get("problems").get(0).asText()).isEqualTo(problem);
            assertThat(Files.readString(out)).doesNotContain("root:x");
        }

        @Test
        void anEntrypointLinkedOutIsRefused() throws IOException {
            Path dir = Files.createDirectories(home.resolve("entry"));
            Files.createSymbolicLink(dir.resolve("main.py"), outside.resolve("train.py"));

            assertThat(problem(dir)).isEqualTo(refusal("main.py", outside.resolve("train.py"), "the checkout"));
            assertThat(home.resolve(".hone/runs/1/trials")).doesNotExist();
        }

        @Test
        void aRebuildProgramOrDockerfileLinkedOutIsRefused() throws IOException {
            Path dir = project(home.resolve("rebuild"),
                    "tune: {strategy: script, rebuild: python3 rebuild.py --fast}\n",
                    "print('accuracy=0.5')\n");
            Files.createSymbolicLink(dir.resolve("rebuild.py"), outside.resolve("train.py"));
            assertThat(problem(dir)).isEqualTo(refusal("rebuild.py", outside.resolve("train.py"), "the checkout"));

            Path docker = project(home.resolve("docker"), "environment: {dockerfile: docker/Dockerfile}\n",
                    "print('accuracy=0.5')\n");
            Files.writeString(outside.resolve("Dockerfile"), "FROM hone/python\n");
            Files.createSymbolicLink(docker.resolve("docker"), outside);
            assertThat(problem(docker)).isEqualTo("docker/Dockerfile: leads out of the checkout through a symbolic "
                    + "link: Hone reads only files inside the checkout — put the file "
                    + "itself there, not a link to it");
        }

        @Test
        void aMetricsJsonLinkedOutOfTheOutputIsNotRead() throws IOException {
            Files.writeString(outside.resolve("metrics.json"), "{\"accuracy\": 0.99}");
            Path dir = project(home.resolve("metrics"), null, """
                    import os
                    os.symlink(%s, os.path.join(os.environ['HONE_OUTPUT'], 'metrics.json'))
                    print('accuracy=0.5')
                    """.formatted("'" + outside.resolve("metrics.json") + "'"));
            Cli cli = new Cli(home);
            Path out = home.resolve("out.json");

            assertThat(run(cli, dir, out)).as(cli.out()).isEqualTo(3);
            JsonNode trial = read(out).get("trials").get(0);
            assertThat(trial.get("value").isNull()).isTrue();
            assertThat(trial.get("error").asText()).isEqualTo("metrics.json leads out of $HONE_OUTPUT through a "
                    + "symbolic link (metrics.json -> " + outside.resolve("metrics.json") + "): Hone reads only files "
                    + "inside $HONE_OUTPUT — put the file itself there, not a link to it");
        }

        @Test
        void theModelKeepsALinkInTheOutputAsALinkNeverCopyingTheHostsFile() throws IOException {
            Path dir = project(home.resolve("model"), null, """
                    import os
                    out = os.environ['HONE_OUTPUT']
                    os.symlink(%s, os.path.join(out, 'weights.bin'))
                    open(os.path.join(out, 'model.txt'), 'w').write('trained')
                    print('accuracy=0.9')
                    """.formatted("'" + outside.resolve("passwd") + "'"));
            Cli cli = new Cli(home);
            Path out = home.resolve("out.json");

            assertThat(run(cli, dir, out)).as(cli.out()).isZero();
            Path model = cli.data().resolve("projects/model/model");
            assertThat(model.resolve("model.txt")).hasContent("trained");
            assertThat(Files.isSymbolicLink(model.resolve("weights.bin"))).as("copied as a link, not followed")
                    .isTrue();
            assertThat(Files.readSymbolicLink(model.resolve("weights.bin"))).isEqualTo(outside.resolve("passwd"));
        }
    }

    @Nested
    class TheRebuildProgram {

        @Test
        void growsTheModelUntilTheTargetAndRecordsEachDiff() throws IOException {
            Cli cli = new Cli(home);
            Path out = home.resolve("out.json");

            int code = cli.run("run", Cli.example("rebuild").toString(), "--json", out.toString());

            assertThat(code).as(cli.out() + cli.err()).isZero();
            JsonNode s = read(out);
            assertThat(s.get("status").asText()).isEqualTo("target_reached");
            assertThat(s.get("trials").size()).isEqualTo(2);
            assertThat(s.get("trials").get(0).get("value").asDouble()).isLessThan(0.95);
            assertThat(s.get("trials").get(1).get("params").get("learning_rate").asDouble()).isEqualTo(0.025);
            Path diff = cli.data().resolve("runs/1/trials/2/workspace.diff");
            assertThat(Files.readString(diff)).contains("-DEGREE = 1").contains("+DEGREE = 2")
                    .contains("+EPOCHS = 6");
            assertThat(Cli.example("rebuild").resolve("main.py")).content().contains("DEGREE = 1\n");
        }

        @Test
        void aRebuildProgramThatFailsStopsTheStudyWithItsError() throws IOException {
            Path dir = project(home.resolve("tweak"),
                    "metric: {target: 0.99}\ntune: {strategy: script, rebuild: python3 rebuild.py}\n",
                    "print('accuracy=0.5')\n");
            Files.writeString(dir.resolve("rebuild.py"),
                    "import sys\nprint('thinking', file=sys.stderr)\nraise KeyError('layers')\n");
            Cli cli = new Cli(home);
            Path out = home.resolve("out.json");

            assertThat(cli.run("run", dir.toString(), "--json", out.toString())).isEqualTo(3);

            JsonNode s = read(out);
            assertThat(s.get("status").asText()).isEqualTo("failed");
            assertThat(s.get("trials").size()).isEqualTo(1);
            JsonNode event = s.get("events").get(0);
            assertThat(event.get("type").asText()).isEqualTo("rebuild_failed");
            assertThat(event.get("message").asText()).contains("python3 rebuild.py").contains("KeyError: 'layers'");
            assertThat(cli.out().strip().lines().toList().getLast()).isEqualTo("rebuild failed: "
                    + event.get("message").asText().substring("tweak: ".length()) + " (run 1; logs: hone trials 1)");
            assertThat(cli.out()).contains("\nlast lines of the rebuild program:\n  thinking\n")
                    .doesNotContain("[rebuild_failed]");
            assertThat(cli.run("trials", "1")).isZero();
            assertThat(cli.out()).endsWith("rebuild program: " + cli.data().resolve("runs/1") + "/rebuild-<k>.log, "
                    + "k = 1\n");
        }

        @Test
        void aRebuildProgramThatPrintsGarbageSaysWhatToPrint() throws IOException {
            Path dir = project(home.resolve("garbage"),
                    "metric: {target: 0.99}\ntune: {strategy: script, rebuild: python3 rebuild.py}\n",
                    "print('accuracy=0.5')\n");
            Files.writeString(dir.resolve("rebuild.py"), "print('{C: 3')\n");
            Cli cli = new Cli(home);
            Path out = home.resolve("out.json");

            assertThat(cli.run("run", dir.toString(), "--json", out.toString())).isEqualTo(3);

            JsonNode event = read(out).get("events").get(0);
            assertThat(event.get("type").asText()).isEqualTo("rebuild_failed");
            assertThat(event.get("message").asText()).contains("invalid parameter line: {C: 3");
        }
        @Test
        void aGridTooLargeToCountSaysToSampleInstead() throws IOException {
            StringBuilder params = new StringBuilder("tune:\n  strategy: grid\n  params:\n");
            for (int i = 0; i < 30; i++) { // 5 points each: 5^30 points
                params.append("    p").append(i).append(": {min: 0.0, max: 1.0}\n");
            }
            Path dir = project(home.resolve("huge"), params.toString(), "print('accuracy=0.5')\n");
            Cli cli = new Cli(home);

            assertThat(cli.run("run", dir.toString(), "--executor", "local")).isEqualTo(2);
            assertThat(cli.err()).isEqualTo("hone: tune.params: the grid has more than 9223372036854775807 points"
                    + " (too many parameters); use strategy random\n");
        }
    }

    @Nested
    class WithAnInvalidHoneYaml {

        @Test
        void reportsEveryMistakeWithItsLineAndRunsNothing() throws IOException {
            Path dir = project(home.resolve("bad"), """
                    name: bad
                    metric:
                      direction: upward
                    tune:
                      max_trails: 5
                      params:
                        C: {min: 10, max: 1}
                    """, "print('accuracy=1')\n");
            Cli cli = new Cli(home);
            Path out = home.resolve("out.json");

            int code = cli.run("run", dir.toString(), "--json", out.toString());

            assertThat(code).isEqualTo(2);
            JsonNode s = read(out);
            assertThat(s.get("status").asText()).isEqualTo("invalid_config");
            assertThat(s.get("trials").size()).isZero();
            assertThat(cli.err()).contains("hone.yaml:3:").contains("metric.direction")
                    .contains("hone.yaml:5:").contains("did you mean \"max_trials\"")
                    .contains("hone.yaml:7:").contains("tune.params.C");
            assertThat(s.get("problems").size()).isEqualTo(3);
            assertThat(cli.run("runs")).isZero();
            assertThat(cli.out()).contains("invalid_config");
            assertThat(cli.data().resolve("runs/1/trials")).doesNotExist();
        }

        @Test
        void aHoneYamlOverOneMebibyteIsRefusedUnread() throws IOException {
            Path dir = project(home.resolve("huge"), null, "print('accuracy=1')\n");
            Files.writeString(dir.resolve("hone.yaml"), ("# " + "x".repeat(1021) + "\n").repeat(2048));
            Cli cli = new Cli(home);
            Path out = home.resolve("out.json");

            assertThat(cli.run("run", dir.toString(), "--json", out.toString())).as(cli.out()).isEqualTo(2);
            assertThat(cli.err()).isEqualTo("hone: invalid configuration:\n  hone.yaml: is 2.0 MiB, more than the "
                    + "1 MiB a configuration file may have, and was not read — keep only settings in it (data "
                    + "belongs "
                    + "in files the training reads)\n");
            assertThat(read(out).get("status").asText()).isEqualTo("invalid_config");
        }

        @Test
        void aHoneYamlThatIsNotUtf8IsAConfigurationErrorNotACrash() throws IOException {
            Path dir = project(home.resolve("latin1"), null, "print('accuracy=1')\n");
            Files.write(dir.resolve("hone.yaml"), "name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
            Cli cli = new Cli(home);
            Path out = home.resolve("out.json");

            assertThat(cli.run("run", dir.toString(), "--json", out.toString())).as(cli.err()).isEqualTo(2);
            assertThat(cli.err()).isEqualTo("hone: invalid configuration:\n  hone.yaml: is not UTF-8 text — save it "
                    + "as UTF-8\n");
            assertThat(read(out).get("problems").get(0).asText()).isEqualTo("hone.yaml: is not UTF-8 text — save it "
                    + "as UTF-8");
        }

        @Test
        void aHoneYamlThatIsADirectoryIsAConfigurationErrorNotIgnored() throws IOException {
            Path dir = project(home.resolve("dir"), null, "print('accuracy=1')\n");
            Files.createDirectories(dir.resolve("hone.yaml"));
            Cli cli = new Cli(home);

            assertThat(cli.run("run", dir.toString())).as(cli.out()).isEqualTo(2);
            assertThat(cli.err()).isEqualTo("hone: invalid configuration:\n  hone.yaml: is a directory, not a file — "
                    + "make it a file, or rename the directory\n");
        }

        @Test
        void anUnknownExecutorIsAUsageErrorThatNamesEveryKind() throws IOException {
            Path dir = project(home.resolve("p"), null, "print('accuracy=1')\n");
            Cli cli = new Cli(home);

            assertThat(cli.run("run", dir.toString(), "--executor", "nomad")).isEqualTo(2);
            assertThat(cli.err()).isEqualTo("hone: Invalid value for option '--executor': must be one of auto, local,"
                    + " docker, kubernetes, slurm, got \"nomad\"\nRun `hone run --help` for the options.\n");
            assertThat(cli.run("run", "--help")).isZero();
            assertThat(cli.out()).containsPattern("--executor=KIND +Where training runs: auto, local, docker, kubernetes,"
                    + "\\s+slurm\\.");
        }

        @Test
        void aMissingEntrypointIsAConfigurationError() throws IOException {
            Path dir = Files.createDirectories(home.resolve("empty"));
            Cli cli = new Cli(home);

            assertThat(cli.run("run", dir.toString())).isEqualTo(2);
            assertThat(cli.err()).contains("no training entrypoint in " + dir)
                    .contains("add main.py (or train.py), or set train.command in hone.yaml");
        }
    }

    @Test
    void earlyStoppingStopsAHopelessTrialAndReportsTheStepsSaved() throws IOException {
        Path dir = project(home.resolve("curves"), """
                metric: {target: 2.0}
                tune:
                  strategy: script
                  rebuild: python3 rebuild.py
                  max_trials: 6
                  early_stopping: {rule: median, min_steps: 3}
                """, """
                import os, time
                x = float(os.environ.get("HONE_PARAM_X", "0.9"))
                for step in range(1, 11):
                    print(f"step={step} accuracy={x * step / 10:.3f}", flush=True)
                    time.sleep(0.02 if step < 3 else 0.3 if x < 0.5 else 0.02)
                """);
        Files.writeString(dir.resolve("rebuild.py"), """
                import json, os
                history = json.load(open(os.environ["HONE_HISTORY"]))
                print(json.dumps({"x": [0.8, 0.85, 0.95, 0.9, 0.1][len(history) - 1]}))
                """);
        Cli cli = new Cli(home);
        Path out = home.resolve("out.json");

        assertThat(cli.run("run", dir.toString(), "--json", out.toString())).as(cli.out() + cli.err()).isEqualTo(1);

        JsonNode s = read(out);
        JsonNode last = s.get("trials").get(5);
        assertThat(last.get("state").asText()).isEqualTo("pruned");
        assertThat(last.get("error").asText()).isEqualTo("stopped early at step 3 by the median rule");
        assertThat(s.get("early_stopping").get("rule").asText()).isEqualTo("median");
        assertThat(s.get("early_stopping").get("pruned").asInt()).isEqualTo(1);
        assertThat(s.get("early_stopping").get("steps_saved").asInt()).isEqualTo(7);
        assertThat(cli.out()).contains("early stopping (median): 1 trial stopped, 7 training steps saved");
    }

    @Test
    void digitsWithScikitLearnReachesItsTarget() throws IOException {
        Parts.requireSystemScikitLearn();
        Cli cli = new Cli(home).withSystemPython();
        Path out = home.resolve("out.json");

        int code = cli.run("run", Cli.example("digits-sklearn").toString(), "--executor", "local", "--json",
                out.toString());

        assertThat(code).as(cli.out() + cli.err()).isZero();
        JsonNode s = read(out);
        assertThat(s.get("status").asText()).isEqualTo("target_reached");
        assertThat(s.get("best").get("value").asDouble()).isGreaterThanOrEqualTo(0.98);
    }
}
