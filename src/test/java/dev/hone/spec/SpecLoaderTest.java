package dev.hone.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hone.tune.CategoricalParam;
import dev.hone.tune.Confirm;
import dev.hone.tune.Constraint;
import dev.hone.tune.Direction;
import dev.hone.tune.EarlyStopping;
import dev.hone.tune.FloatParam;
import dev.hone.tune.IntParam;
import dev.hone.tune.Param;
import dev.hone.tune.Strategy;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecLoaderTest {

    static Spec parse(String yaml) {
        return parse(yaml, Map.of());
    }

    static Spec parse(String yaml, Map<String, String> env) {
        return SpecLoader.parse(yaml, "hone.yaml", "digits", env);
    }

    static List<String> problems(String yaml) {
        return problems(yaml, Map.of());
    }

    static List<String> problems(String yaml, Map<String, String> env) {
        return catchThrowableOfType(InvalidSpecException.class, () -> parse(yaml, env)).problemLines();
    }

    @Nested
    class WithNothingSet {

        @Test
        void anEmptyFileIsTheZeroConfigurationPipeline() {
            assertThat(parse("")).isEqualTo(Spec.defaults("digits"));
        }

        @Test
        void aFileOfCommentsIsTheZeroConfigurationPipeline() {
            assertThat(parse("# name: other\n# tune:\n")).isEqualTo(Spec.defaults("digits"));
        }

        @Test
        void aKeyWithNothingAfterItKeepsItsDefault() {
            assertThat(parse("name:\ntrain:\ntune:\n  max_trials:\nserve: ~\n")).isEqualTo(Spec.defaults("digits"));
        }

        @Test
        void defaultsFillTheSectionsThatAreSet() {
            Spec spec = parse("""
                    tune:
                      early_stopping: {}
                    serve:
                      command: python3 serve.py
                    notify:
                      email: {author: true}
                    """);
            assertThat(spec.tune().earlyStopping())
                    .isEqualTo(new EarlyStopping(EarlyStopping.Rule.MEDIAN, 3));
            assertThat(spec.serve()).isEqualTo(new Spec.Serve("python3 serve.py", 8000, "/health",
                    new Spec.Restart(Spec.RestartPolicy.ON_FAILURE, 5)));
            assertThat(spec.notifications().on()).isEqualTo(Spec.EVENT_TYPES);
            assertThat(spec.notifications().email()).isEqualTo(new Spec.Email(List.of(), true));
        }
    }

    @Nested
    class ReadingValues {

        @Test
        void warmStartIsOnUnlessSetFalse() {
            assertThat(Spec.defaults("digits").tune().warmStart()).isTrue();
            assertThat(parse("tune:\n  max_trials: 5\n").tune().warmStart()).isTrue();
            assertThat(parse("tune:\n  warm_start: false\n").tune().warmStart()).isFalse();
            assertThat(problems("tune:\n  warm_start: sometimes\n", Map.of()))
                    .singleElement().asString().startsWith("hone.yaml:2:15: tune.warm_start: ");
        }

        @Test
        void readsEveryKeyOfTheDesignExample() {
            Spec spec = SpecLoader.load(Path.of("src/test/resources/spec/valid/design-example.yaml"), "x",
                    Map.of("SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T0/B0/x", "HOOK_SECRET", "s3"));

            assertThat(spec).isEqualTo(new Spec("digits",
                    new Spec.Train("python3 main.py", Duration.ofMinutes(30), Map.of("KEY", "value")),
                    new Spec.Environment(Spec.Executor.AUTO, "auto", "Dockerfile", 1.0, 2L << 30, Spec.Network.NONE, 1,
                            new Spec.Kubernetes("ml-training", "hone-trials", Map.of("pool", "gpu"),
                                    List.of(new Spec.Toleration("nvidia.com/gpu", "Exists", null, "NoSchedule"),
                                            new Spec.Toleration("team", "Equal", "ml", null)),
                                    List.of("registry-credentials"), Map.of("team", "vision"), "hone-data"),
                            new Spec.Slurm("gpu", "ml-team", "normal", "a100", List.of("--nice=10"))),
                    new Spec.Metric("accuracy", Direction.MAXIMIZE, 0.95,
                            List.of(new Constraint("latency_ms", Constraint.Op.AT_MOST, 50)), 0.005,
                            new Confirm(3, Confirm.Aggregate.MEAN)),
                    new Spec.Tune(Strategy.AUTO,
                            List.of(new FloatParam("C", 0.001, 1000, true), new IntParam("layers", 1, 4, false),
                                    new CategoricalParam("kernel", List.of("rbf", "poly", "linear"))),
                            30, 3, 1, Duration.ofHours(2), 42L, "python3 rebuild.py",
                            new EarlyStopping(EarlyStopping.Rule.MEDIAN, 3)),
                    new Spec.Notify(
                            List.of("training_failed", "target_reached", "target_missed", "rebuild_failed",
                                    "container_restarted"),
                            new Spec.Email(List.of("ml-team@example.com"), true),
                            new Spec.Slack("https://hooks.slack.com/services/T0/B0/x"),
                            new Spec.Webhook("https://…", "s3")),
                    new Spec.Serve("python3 serve.py", 8000, "/health",
                            new Spec.Restart(Spec.RestartPolicy.ON_FAILURE, 5, Duration.ofMinutes(1)), 0.002,
                            Duration.ofMinutes(10)),
                    List.of(new Spec.DataSource.File(Path.of("/srv/data/train.csv")),
                            new Spec.DataSource.Url(URI.create("https://data.example.com/train.parquet")))));
        }

        @Test
        void categoricalChoicesKeepTheirYamlTypes() {
            Spec spec = parse("tune:\n  params:\n    mixed: [rbf, 3, 0.5, true, \"4\"]\n");

            assertThat(spec.tune().params()).containsExactly(
                    new CategoricalParam("mixed", List.of("rbf", 3L, 0.5, true, "4")));
        }

        @Test
        void parametersKeepTheOrderOfTheFile() {
            Spec spec = parse("tune:\n  params:\n    z: [1]\n    a: {min: 0, max: 1}\n    m: {min: 1, max: 9, type: int}\n");

            assertThat(spec.tune().params()).extracting(Param::name).containsExactly("z", "a", "m");
        }

        @Test
        void aRangeIsFloatUnlessTypeIsInt() {
            Spec spec = parse("tune:\n  params:\n    a: {min: 1, max: 4}\n    b: {min: 1.0, max: 4e0, type: int}\n");

            assertThat(spec.tune().params()).containsExactly(
                    new FloatParam("a", 1, 4, false), new IntParam("b", 1, 4, false));
        }

        @Test
        void trainEnvironmentValuesAreTheTextAsWritten() {
            Spec spec = parse("train:\n  env:\n    A: 1e3\n    B: True\n    C:\n    D: \"x y\"\n");

            assertThat(spec.train().env()).containsExactly(
                    Map.entry("A", "1e3"), Map.entry("B", "True"), Map.entry("C", ""), Map.entry("D", "x y"));
        }

        @Test
        void readsEnumsWrittenInLowerCaseWithDashes() {
            Spec spec = parse("serve:\n  command: x\n  restart: {policy: on-failure}\nenvironment: {network: bridge}\n");

            assertThat(spec.serve().restart().policy()).isEqualTo(Spec.RestartPolicy.ON_FAILURE);
            assertThat(spec.environment().network()).isEqualTo(Spec.Network.BRIDGE);
        }

        @Test
        void readsTheGpusOfEachTrialAndNoneWhenUnset() {
            assertThat(parse("environment:\n  resources: {gpus: 2}\n").environment().gpus()).isEqualTo(2);
            assertThat(parse("environment:\n  resources: {gpus: 0}\n").environment().gpus()).isZero();
            assertThat(parse("").environment().gpus()).isZero();
        }

        @Test
        void readsWhereTheSlurmExecutorSubmitsAndTheClustersDefaultsWhenUnset() {
            Spec spec = parse("""
                    environment:
                      executor: slurm
                      slurm: {partition: gpu, account: ml, qos: normal, constraint: a100, extra_args: [--nice=10]}
                    """);

            assertThat(spec.environment().executor()).isEqualTo(Spec.Executor.SLURM);
            assertThat(spec.environment().slurm()).isEqualTo(new Spec.Slurm("gpu", "ml", "normal", "a100",
                    List.of("--nice=10")));
            assertThat(parse("").environment().slurm()).isEqualTo(Spec.Slurm.DEFAULTS);
        }

        @Test
        void anExtraSlurmArgumentMustBeAnOption() {
            String yaml = "environment:\n  slurm: {extra_args: [nice, --x=1], partiton: gpu}\n";

            assertThat(problems(yaml)).containsExactly(
                    "hone.yaml:2:24: environment.slurm.extra_args[0]: must be an sbatch option such as --nice=10,"
                            + " got \"nice\"",
                    "hone.yaml:2:38: environment.slurm: unknown key \"partiton\" — did you mean \"partition\"?");
        }

        @Test
        void readsIntegersTheWayYamlWritesThem() {
            assertThat(parse("tune:\n  seed: 0x1F\n").tune().seed()).isEqualTo(31L);
            assertThat(parse("tune:\n  seed: -7\n").tune().seed()).isEqualTo(-7L);
            assertThat(parse("tune:\n  max_trials: 1e2\n").tune().maxTrials()).isEqualTo(100);
        }
    }

    @Nested
    class ReportingProblems {

        @Test
        void checksTheKubernetesNamesAsTheApiServerWould() {
            String yaml = """
                    environment:
                      executor: kubernetes
                      kubernetes:
                        namespace: ML_Team
                        labels: {hone.run: mine, team: "a b"}
                        tolerations: [{operator: Exists, value: x}, {effect: NoScheduel}]
                    """;

            assertThat(problems(yaml)).containsExactly(
                    "hone.yaml:4:16: environment.kubernetes.namespace: is not a namespace Kubernetes accepts"
                            + " — lower-case letters, digits and -, beginning and ending with a letter or digit,"
                            + " got \"ML_Team\"",
                    "hone.yaml:5:14: environment.kubernetes.labels.hone.run: is reserved: Hone labels each Job with"
                            + " hone.run, hone.project and hone.trial — choose another key",
                    "hone.yaml:5:36: environment.kubernetes.labels.team: is not a valid label value — at most 63"
                            + " letters, digits, -, _ and ., beginning and ending with a letter or digit, got \"a b\"",
                    "hone.yaml:6:45: environment.kubernetes.tolerations[0].value: must be left out with operator:"
                            + " Exists — it matches every value",
                    "hone.yaml:6:49: environment.kubernetes.tolerations[1]: needs a key with operator: Equal — or"
                            + " operator: Exists to tolerate every taint",
                    "hone.yaml:6:58: environment.kubernetes.tolerations[1].effect: must be one of NoSchedule |"
                            + " PreferNoSchedule | NoExecute, got \"NoScheduel\" — did you mean \"NoSchedule\"?");
        }

        @Test
        void reportsEveryProblemWithItsLineColumnAndKey() {
            String yaml = """
                    name: digits
                    train:
                      timeout: 30 minutes
                    tune:
                      max_trails: 10
                      params:
                        C: {min: 5, max: 1}
                    """;

            InvalidSpecException e = catchThrowableOfType(InvalidSpecException.class, () -> parse(yaml));

            assertThat(e.problems()).containsExactly(
                    new Problem("hone.yaml", 3, 12, "train.timeout",
                            "must be a duration such as 90s, 30m, 2h, 1h30m, 1d or 500ms, got \"30 minutes\""),
                    new Problem("hone.yaml", 5, 3, "tune", "unknown key \"max_trails\" — did you mean \"max_trials\"?"),
                    new Problem("hone.yaml", 7, 14, "tune.params.C.min", "must be less than max (1), got 5"));
            assertThat(e.getMessage()).isEqualTo("""
                    hone.yaml:3:12: train.timeout: must be a duration such as 90s, 30m, 2h, 1h30m, 1d or 500ms, \
                    got "30 minutes"
                    hone.yaml:5:3: tune: unknown key "max_trails" — did you mean "max_trials"?
                    hone.yaml:7:14: tune.params.C.min: must be less than max (1), got 5
                    Fix these in hone.yaml and run `hone validate` to check.""");
        }

        @Test
        void oneProblemSaysFixThis() {
            assertThatThrownBy(() -> parse("tune:\n  max_trials: ten\n")).hasMessage("""
                    hone.yaml:2:15: tune.max_trials: must be a positive integer, got "ten"
                    Fix this in hone.yaml and run `hone validate` to check.""");
        }

        @Test
        void listsProblemsInFileOrderWhateverOrderTheyWereFound() {
            assertThat(problems("""
                    tune:
                      strategy: script
                      parallel: 2
                    name: 7
                    """)).containsExactly(
                    "hone.yaml:2:13: tune.strategy: strategy script needs tune.rebuild, the program that proposes "
                            + "the next trial — e.g. rebuild: python3 rebuild.py",
                    "hone.yaml:3:13: tune.parallel: must be 1 with strategy: script, got 2 — the rebuild program "
                            + "runs between trials; set parallel: 1",
                    "hone.yaml:4:7: name: must be a string, got 7 — quote it: \"7\"");
        }

        @Test
        void reportsAYamlSyntaxErrorWithItsLine() {
            assertThat(problems("tune:\n  max_trials: 3\n parallel: 2\n")).containsExactly(
                    "hone.yaml:3:2: not valid YAML: expected <block end>, but found '<block mapping start>' "
                            + "(while parsing a block mapping at line 1, column 1) — check the indentation: the keys "
                            + "of one mapping start in the same column");
        }

        @Test
        void refusesListsNestedDeeperThanAnyConfigurationInsteadOfOverflowingTheStack() {
            // the YAML library composes nested collections by recursion: thousands of levels overflowed the stack
            String deep = "train:\n  env: " + "[".repeat(20_000) + "]".repeat(20_000) + "\n";

            assertThat(problems(deep)).containsExactly("hone.yaml:2:70: mappings and lists are nested more than 64 "
                    + "deep here — a configuration needs only a few levels");
        }

        @Test
        void refusesATagWithSpacesAroundItWhichTheYamlLibraryCannotBuild() {
            // found by ConfigFuzzTest: an IllegalArgumentException from the YAML library's composer
            assertThat(problems("name: !x%09 digits\n")).containsExactly("hone.yaml:1:7: not valid YAML: the tag "
                    + "\"!x%09\" is empty or has spaces around it — remove the tag");
        }

        @Test
        void readsTheDeepestNestingAllowed() {
            String deepest = "train:\n  env: " + "[".repeat(62) + "]".repeat(62) + "\n";

            assertThat(problems(deepest)).containsExactly(
                    "hone.yaml:2:8: train.env: must be a mapping of variable names to values, got a list");
        }

        @Test
        void reportsAColonInsideAValueAsSyntax() {
            assertThat(problems("train:\n  command: echo a: b\n")).containsExactly(
                    "hone.yaml:2:18: not valid YAML: mapping values are not allowed here — quote a value that "
                            + "contains \": \"");
        }

        @Test
        void reportsAKeySetTwice() {
            assertThat(problems("metric:\n  name: loss\n  name: acc\n"))
                    .containsExactly("hone.yaml:3:3: metric.name: is set twice (first on line 2) — keep one");
        }

        @Test
        void reportsAnEmptyListItem() {
            assertThat(problems("notify:\n  on:\n    - target_reached\n    -\n"))
                    .containsExactly("hone.yaml:4:6: notify.on[1]: is empty — give a value or remove the item");
        }

        @Test
        void aProblemWithoutAPlaceNamesTheFileAndKey() {
            InvalidSpecException e = InvalidSpecException.of("command line", "--parallel", "must be at least 1, got 0");

            assertThat(e.getMessage()).isEqualTo("command line: --parallel: must be at least 1, got 0");
        }
    }

    @Nested
    class UnknownKeys {

        @Test
        void suggestTheKeyTheyAreCloseTo() {
            assertThat(problems("metric:\n  diretcion: maximize\n"))
                    .containsExactly("hone.yaml:2:3: metric: unknown key \"diretcion\" — did you mean \"direction\"?");
        }

        @Test
        void nameHonesKeyForWhatOtherToolsCallItAndDoNotAlsoReportItMissing() {
            assertThat(problems("""
                    objective: {goal: 0.9}
                    metric: {metric_name: acc, mode: max, goal: 0.9}
                    tune:
                      sampler: tpe
                      n_trials: 40
                      maxTrialCount: 40
                      params:
                        lr: {low: 0.001, high: 0.1, log: true}
                        depth: {type: int, lower: 1, upper: 8}
                    train: {entrypoint: python3 main.py}
                    """)).containsExactly(
                    "hone.yaml:1:1: unknown key \"objective\" — did you mean \"metric\"?",
                    "hone.yaml:2:10: metric: unknown key \"metric_name\" — did you mean \"name\"?",
                    "hone.yaml:2:28: metric: unknown key \"mode\" — did you mean \"direction\"?",
                    "hone.yaml:2:39: metric: unknown key \"goal\" — did you mean \"target\"?",
                    "hone.yaml:4:3: tune: unknown key \"sampler\" — did you mean \"strategy\"?",
                    "hone.yaml:5:3: tune: unknown key \"n_trials\" — did you mean \"max_trials\"?",
                    "hone.yaml:6:3: tune: unknown key \"maxTrialCount\" — did you mean \"max_trials\"?",
                    "hone.yaml:8:10: tune.params.lr: unknown key \"low\" — did you mean \"min\"?",
                    "hone.yaml:8:22: tune.params.lr: unknown key \"high\" — did you mean \"max\"?",
                    "hone.yaml:9:24: tune.params.depth: unknown key \"lower\" — did you mean \"min\"?",
                    "hone.yaml:9:34: tune.params.depth: unknown key \"upper\" — did you mean \"max\"?",
                    "hone.yaml:10:9: train: unknown key \"entrypoint\" — did you mean \"command\"?");
        }

        @Test
        void suggestTheKeyTheyStart() {
            assertThat(problems("tune:\n  early: {rule: asha}\n"))
                    .containsExactly("hone.yaml:2:3: tune: unknown key \"early\" — did you mean \"early_stopping\"?");
        }

        @Test
        void listTheAllowedKeysWhenNoneIsClose() {
            assertThat(problems("serve:\n  command: x\n  replicas: 3\n")).containsExactly(
                    "hone.yaml:3:3: serve: unknown key \"replicas\" — allowed keys: command, port, health, restart,"
                            + " promote, probation");
        }

        @Test
        void suggestTheValueAnEnumIsCloseTo() {
            assertThat(problems("tune:\n  strategy: Grid\n  params: {a: [1]}\n")).containsExactly(
                    "hone.yaml:2:13: tune.strategy: must be one of auto | grid | random | tpe | bayes | script, "
                            + "got \"Grid\" — did you mean \"grid\"?");
        }
    }

    @Nested
    class EnvironmentVariables {

        @Test
        void takeValuesFromTheGivenEnvironment() {
            Spec spec = parse("name: ${PROJECT}\nnotify:\n  webhook:\n    url: \"${HOOK_URL}/hone\"\n",
                    Map.of("PROJECT", "iris", "HOOK_URL", "https://ci.example.com"));

            assertThat(spec.name()).isEqualTo("iris");
            assertThat(spec.notifications().webhook().url()).isEqualTo("https://ci.example.com/hone");
        }

        @Test
        void fallBackToTheDefaultWhenUnsetOrEmpty() {
            assertThat(parse("name: ${PROJECT:-iris}\n").name()).isEqualTo("iris");
            assertThat(parse("name: ${PROJECT:-iris}\n", Map.of("PROJECT", "")).name()).isEqualTo("iris");
        }

        @Test
        void areTypedByWhereTheyAre() {
            Spec spec = parse("""
                    serve:
                      command: python3 serve.py
                      port: ${PORT}
                    notify:
                      webhook: {url: "https://x.example.com", secret: "${SECRET}"}
                    """, Map.of("PORT", "9000", "SECRET", "12345"));

            assertThat(spec.serve().port()).isEqualTo(9000);
            assertThat(spec.notifications().webhook().secret()).isEqualTo("12345");
        }

        @Test
        void anEmptyExpansionMeansNotSet() {
            assertThat(parse("metric:\n  target: ${TARGET:-}\n").metric().target()).isNull();
        }

        @Test
        void aDoubleDollarIsALiteralDollarAndOtherDollarsStay() {
            assertThat(parse("train:\n  command: echo $$5 $HOME\n").train().command()).isEqualTo("echo $5 $HOME");
        }

        @Test
        void anUnsetVariableIsAProblemNamingTheVariableAndTheKey() {
            assertThat(problems("notify:\n  slack:\n    url: ${SLACK_WEBHOOK_URL}\n")).containsExactly(
                    "hone.yaml:3:10: notify.slack.url: environment variable SLACK_WEBHOOK_URL is not set: set it "
                            + "where Hone runs, or give a default with ${SLACK_WEBHOOK_URL:-value}");
        }

        @Test
        void aMalformedReferenceIsAProblem() {
            assertThat(problems("name: a${1X}\ntrain:\n  command: run ${OPEN\n")).containsExactly(
                    "hone.yaml:1:7: name: \"${1X}\" is not a variable reference: write ${NAME}, ${NAME:-default}, "
                            + "or $$ for a literal $",
                    "hone.yaml:3:12: train.command: \"${OPEN\" is not closed: write ${NAME}, ${NAME:-default}, or "
                            + "$$ for a literal $");
        }

        @Test
        void neverShowTheirValueInAProblem() {
            assertThat(problems("notify:\n  slack:\n    url: ${SLACK}\n", Map.of("SLACK", "hunter2")))
                    .containsExactly("hone.yaml:3:10: notify.slack.url: must be an http:// or https:// URL, got "
                            + "\"${SLACK}\" (expanded from the environment)");
        }
    }

    /** Values of {@code train.env} that executors mask in the training's output. */
    @Nested
    class SecretsOfTheTraining {

        private Spec.Train train(String env, Map<String, String> environment) {
            return parse("train:\n  env:\n" + env.indent(4), environment).train();
        }

        @Test
        void anEntryWhoseNameSaysSecretAndTakesItsValueFromTheEnvironmentIsOne() {
            Spec.Train train = train("""
                    API_TOKEN: "${T}"
                    Db_Password: ${P}
                    AWS_SECRET_ACCESS_KEY: ${S}
                    GH_AUTH: ${A}
                    CREDENTIALS_JSON: ${C}
                    FTP_PASSWD: ${F}
                    """, Map.of("T", "tok-7f3a9c", "P", "hunter22", "S", "s3cr3t", "A", "auth-1", "C", "cred-1",
                    "F", "ftp-pw"));

            assertThat(train.secrets()).containsExactlyInAnyOrder("tok-7f3a9c", "hunter22", "s3cr3t", "auth-1",
                    "cred-1", "ftp-pw");
            assertThat(train.env()).containsEntry("API_TOKEN", "tok-7f3a9c");
        }

        @Test
        void anEntryThatReferencesAVariableWhoseNameSaysSecretIsOneAndSoIsThatVariablesValue() {
            Spec.Train train = train("""
                    DATABASE_URL: "postgres://hone:${DB_PASSWORD}@${DB_HOST}/hone"
                    WANDB: ${WANDB_API_KEY}
                    """, Map.of("DB_PASSWORD", "pg-pass-1", "DB_HOST", "db.internal", "WANDB_API_KEY", "wandb-1"));

            assertThat(train.secrets()).containsExactlyInAnyOrder(
                    "postgres://hone:pg-pass-1@db.internal/hone", "pg-pass-1", "wandb-1");
        }

        @Test
        void anEntryWhoseNameSaysSecretMakesEveryVariableItReferencesSecret() {
            Spec.Train train = train("AUTH_HEADER: \"Bearer ${BEARER}\"\n", Map.of("BEARER", "abc-123"));

            assertThat(train.secrets()).containsExactlyInAnyOrder("Bearer abc-123", "abc-123");
        }

        @Test
        void anEntryWhereNoNameSaysSecretIsNone() {
            Spec.Train train = train("WANDB_PROJECT: ${PROJECT}\nEPOCHS: \"${EPOCHS:-10}\"\nDATA: /data\n",
                    Map.of("PROJECT", "digits-experiments"));

            assertThat(train.secrets()).isEmpty();
        }

        @Test
        void aValueWrittenInTheFileIsNoneEvenUnderASecretName() {
            Spec.Train train = train("API_TOKEN: literal-token-1\nPRICE: \"$$5 $${API_KEY}\"\n",
                    Map.of());

            assertThat(train.env()).containsEntry("API_TOKEN", "literal-token-1")
                    .containsEntry("PRICE", "$5 ${API_KEY}");
            assertThat(train.secrets()).isEmpty();
        }

        @Test
        void aDefaultTakenForAnUnsetSecretIsOneToo() {
            assertThat(train("HF_TOKEN: ${HF_TOKEN:-hf-default}\n", Map.of()).secrets())
                    .containsExactly("hf-default");
        }

        @Test
        void valuesShorterThanFourCharactersAreNotMasked() {
            Spec.Train train = train("PIN_TOKEN: ${PIN}\nAPI_KEY: ${KEY}\nAUTH: ${EMPTY:-}\n",
                    Map.of("PIN", "123", "KEY", "1234"));

            assertThat(train.secrets()).containsExactly("1234");
        }

        @Test
        void aVariableWhoseNameSaysSecretInTheTrainingOrServingCommandIsOne() {
            Spec spec = parse("""
                    train:
                      command: python3 main.py --token ${HF_TOKEN} --project ${WANDB_PROJECT}
                    serve:
                      command: python3 serve.py --api-key "${SERVE_API_KEY}"
                    """, Map.of("HF_TOKEN", "hf-4c9d1e", "WANDB_PROJECT", "digits-experiments",
                    "SERVE_API_KEY", "serve-key-7"));

            assertThat(spec.train().command())
                    .isEqualTo("python3 main.py --token hf-4c9d1e --project digits-experiments");
            assertThat(spec.train().secrets()).containsExactlyInAnyOrder("hf-4c9d1e", "serve-key-7");
        }

        @Test
        void toStringMasksThem() {
            Spec.Train train = train("API_TOKEN: ${T}\nEPOCHS: 3\n", Map.of("T", "tok-7f3a9c"));

            assertThat(train).hasToString(
                    "Train[command=null, timeout=null, env={API_TOKEN=***, EPOCHS=3}, secrets=[***]]");
        }
    }

    @Nested
    class FindingAndLoadingTheFile {

        @TempDir
        Path dir;

        @Test
        void findsHoneYamlBeforeHoneYml() throws IOException {
            assertThat(SpecLoader.find(dir)).isEmpty();
            Files.writeString(dir.resolve("hone.yml"), "");
            assertThat(SpecLoader.find(dir)).contains(dir.resolve("hone.yml"));
            Files.writeString(dir.resolve("hone.yaml"), "");
            assertThat(SpecLoader.find(dir)).contains(dir.resolve("hone.yaml"));
        }

        @Test
        void namesTheFileAsGivenInProblems() throws IOException {
            Path file = Files.writeString(dir.resolve("hone.yaml"), "metric:\n  target: high\n");

            assertThatThrownBy(() -> SpecLoader.load(file, "digits", Map.of())).hasMessage(
                    file + ":2:11: metric.target: must be a number, got \"high\"\n"
                            + "Fix this in " + file + " and run `hone validate` to check.");
        }

        @Test
        void saysWhenTheFileIsMissing() {
            Path file = dir.resolve("hone.yaml");

            assertThatThrownBy(() -> SpecLoader.load(file, "digits", Map.of()))
                    .isInstanceOf(InvalidSpecException.class)
                    .hasMessage(file + ": no such file");
        }
    }
}
