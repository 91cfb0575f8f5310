package dev.hone.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrialContractTest {

    /** lr, layers, optimizer, augment: one of each kind of value, in the search space's order. */
    private static Map<String, Object> params() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("lr", 0.01);
        params.put("layers", 3L);
        params.put("optimizer", "adam");
        params.put("augment", true);
        return params;
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "lr,             HONE_PARAM_LR",
            "learning-rate,  HONE_PARAM_LEARNING_RATE",
            "n_estimators,   HONE_PARAM_N_ESTIMATORS",
            "model.depth,    HONE_PARAM_MODEL_DEPTH",
            "dropout2,       HONE_PARAM_DROPOUT2",
            "Batch Size,     HONE_PARAM_BATCH_SIZE",
    })
    void namesTheVariableOfAParameter(String name, String variable) {
        assertThat(TrialContract.envName(name)).isEqualTo(variable);
    }

    @Nested
    class Environment {

        @Test
        void holdsTheParametersAndTheTrialsPlaces() {
            Map<String, Object> params = params();
            params.put("width", 3.0);
            params.put("weight-decay", 1e-5);

            Map<String, String> env = TrialContract.environment(7, "run-42", Path.of("/runs/42/trials/7/params.json"),
                    Path.of("/runs/42/trials/7/output"), params);

            assertThat(env).containsExactly(
                    Map.entry("HONE_PARAM_LR", "0.01"),
                    Map.entry("HONE_PARAM_LAYERS", "3"),
                    Map.entry("HONE_PARAM_OPTIMIZER", "adam"),
                    Map.entry("HONE_PARAM_AUGMENT", "true"),
                    Map.entry("HONE_PARAM_WIDTH", "3.0"),
                    Map.entry("HONE_PARAM_WEIGHT_DECAY", "1.0E-5"),
                    Map.entry("HONE_PARAMS", "/runs/42/trials/7/params.json"),
                    Map.entry("HONE_OUTPUT", "/runs/42/trials/7/output"),
                    Map.entry("HONE_TRIAL", "7"),
                    Map.entry("HONE_RUN", "run-42"));
        }

        @Test
        void refusesTwoParametersWithOneVariable() {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("learning-rate", 0.1);
            params.put("learning_rate", 0.2);

            assertThatThrownBy(() -> TrialContract.environment(1, "r", Path.of("p"), Path.of("o"), params))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("parameters learning-rate and learning_rate both give HONE_PARAM_LEARNING_RATE:"
                            + " rename one of them");
        }

        @Test
        void isWhatTheTrainingProgramSees(@TempDir Path workspace) {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("learning-rate", 0.01);
            Map<String, String> env = TrialContract.environment(3, "run-1", workspace.resolve("params.json"),
                    workspace.resolve("out"), params);
            List<String> lines = new CopyOnWriteArrayList<>();

            try (Executor.Session session = new LocalExecutor(Map.of("PATH", System.getenv("PATH")))
                    .open(workspace, new SessionConfig("run-1", "demo", null, null, null, true, Map.of()))) {
                session.run(new ProcessRequest("echo $HONE_PARAM_LEARNING_RATE $HONE_TRIAL $HONE_RUN;"
                        + " echo $HONE_OUTPUT; echo $HONE_PARAMS", env, null, Duration.ofSeconds(30), lines::add));
            }

            assertThat(lines).containsExactly("0.01 3 run-1", workspace.resolve("out").toString(),
                    workspace.resolve("params.json").toString());
        }
    }

    @Nested
    class Expand {

        @Test
        void replacesANamedPlaceholderWithItsValue() {
            assertThat(TrialContract.expand("python train.py --lr {lr} --layers {layers} {optimizer}", params()))
                    .isEqualTo("python train.py --lr 0.01 --layers 3 adam");
        }

        @Test
        void replacesArgsWithEveryParameterInOrder() {
            assertThat(TrialContract.expand("python train.py {args}", params()))
                    .isEqualTo("python train.py --lr=0.01 --layers=3 --optimizer=adam --augment=true");
        }

        @Test
        void quotesValuesTheShellWouldSplitOrInterpret() {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("msg", "it's $HOME");
            params.put("empty", "");

            assertThat(TrialContract.expand("echo {msg} {empty} {args}", params))
                    .isEqualTo("echo 'it'\"'\"'s $HOME' '' '--msg=it'\"'\"'s $HOME' --empty=");
        }

        @Test
        void leavesOtherBracesAlone() {
            String command = "python -c \"x=1; print(f'{x} {lr:.3f} {{lr}}')\" ${HOME} { lr } {} {unknown}";

            assertThat(TrialContract.expand(command, params()))
                    .isEqualTo("python -c \"x=1; print(f'{x} {lr:.3f} {{lr}}')\" ${HOME} { lr } {} {unknown}");
        }

        @Test
        void givesTheProgramEachValueExactlyThroughARealShell(@TempDir Path workspace) {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("msg", "it's a \"test\" with $HOME, `backticks`, * and \\");
            params.put("lr", 0.5);
            List<String> lines = new CopyOnWriteArrayList<>();

            try (Executor.Session session = new LocalExecutor(Map.of("PATH", System.getenv("PATH"), "HOME", "/h"))
                    .open(workspace, new SessionConfig("run-1", "demo", null, null, null, true, Map.of()))) {
                session.run(new ProcessRequest(TrialContract.expand("printf '%s\\n' {msg} {args}", params), Map.of(),
                        null, Duration.ofSeconds(30), lines::add));
            }

            assertThat(lines).containsExactly(
                    "it's a \"test\" with $HOME, `backticks`, * and \\",
                    "--msg=it's a \"test\" with $HOME, `backticks`, * and \\",
                    "--lr=0.5");
        }
    }

    @Test
    void writesTheParametersAsAJsonObject() {
        assertThat(TrialContract.paramsJson(params()))
                .isEqualTo("{\"lr\":0.01,\"layers\":3,\"optimizer\":\"adam\",\"augment\":true}");
    }
}
