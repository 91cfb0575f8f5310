package dev.hone.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hone.data.RunDir;
import dev.hone.exec.Executor;
import dev.hone.exec.LocalExecutor;
import dev.hone.exec.SessionConfig;
import dev.hone.exec.Workspace;
import dev.hone.metrics.MetricPoint;
import dev.hone.tune.Rebuilder;
import dev.hone.tune.Trial;
import dev.hone.tune.TrialState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The rebuild program run for real: shell scripts in a workspace, through the local executor. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ScriptRebuilderTest {

    @TempDir
    Path tmp;
    Path runDir;
    Workspace workspace;
    Executor.Session session;

    final List<Trial> history = List.of(
            Trial.succeeded(1, Map.of(), 0.81, List.of(new MetricPoint(1, 0.7)), 1200),
            new Trial(2, Map.of("C", 2.0, "kernel", "rbf"), TrialState.FAILED, null, List.of(), 1, 300,
                    "ValueError: bad C", ""));

    @BeforeEach
    void setUp() throws IOException {
        Path checkout = Files.createDirectories(tmp.resolve("checkout"));
        Files.writeString(checkout.resolve("main.py"), "epochs = 5\nprint('accuracy=0.8')\n");
        runDir = tmp.resolve("runs/1");
        workspace = Workspace.create(checkout, new RunDir(runDir));
        session = new LocalExecutor(System.getenv()).open(workspace.dir(),
                new SessionConfig("1", "digits", null, null, null, false, Map.of()));
    }

    @AfterEach
    void tearDown() {
        session.close();
    }

    Rebuilder.Outcome rebuild(String script) throws IOException {
        Files.writeString(workspace.dir().resolve("rebuild.sh"), script);
        String diffBefore = workspace.diff();
        assertThat(diffBefore).contains("rebuild.sh");
        return new ScriptRebuilder(session, "sh rebuild.sh", new RunDir(runDir), workspace, Map.of("GREETING", "hi"))
                .rebuild(history);
    }

    static String withoutScript(String diff) {
        int at = diff.indexOf("diff --git a/rebuild.sh");
        int next = diff.indexOf("diff --git", at + 1);
        return at < 0 ? diff : diff.substring(0, at) + (next < 0 ? "" : diff.substring(next));
    }

    @Test
    void theLastLineAsAJsonObjectIsTheNextTrialsParameters() throws IOException {
        Rebuilder.Outcome outcome = rebuild("""
                echo "$GREETING, looking at $HONE_HISTORY"
                echo '{"C": 3.2, "layers": 2, "kernel": "poly", "shrinking": true}'
                """);

        assertThat(outcome).isInstanceOfSatisfying(Rebuilder.Next.class, next -> {
            assertThat(next.params()).containsExactly(Map.entry("C", 3.2), Map.entry("layers", 2L),
                    Map.entry("kernel", "poly"), Map.entry("shrinking", true));
            assertThat(withoutScript(next.diff())).isEmpty();
        });
        assertThat(runDir.resolve("rebuild-1.log")).content()
                .contains("hi, looking at " + runDir.resolve("rebuild-history.json"));
    }

    @Test
    void theHistoryFileHoldsEveryTrial() throws IOException {
        rebuild("cp \"$HONE_HISTORY\" ../seen.json\n");

        Object seen = new ObjectMapper().readValue(runDir.resolve("seen.json").toFile(), Object.class);
        assertThat(seen).isEqualTo(List.of(
                map("number", 1, "params", Map.of(), "value", 0.81, "state", "succeeded", "exit_code", 0,
                        "duration_ms", 1200, "error", null, "intermediate", List.of(Map.of("step", 1, "value", 0.7))),
                map("number", 2, "params", Map.of("C", 2.0, "kernel", "rbf"), "value", null, "state", "failed",
                        "exit_code", 1, "duration_ms", 300, "error", "ValueError: bad C", "intermediate", List.of())));
    }

    @Test
    void editsWithoutAParameterLineKeepThePreviousParametersAndShowInTheDiff() throws IOException {
        Rebuilder.Outcome outcome = rebuild("""
                sed -i 's/epochs = 5/epochs = 10/' main.py
                echo "more epochs"
                """);

        assertThat(outcome).isInstanceOfSatisfying(Rebuilder.Next.class, next -> {
            assertThat(next.params()).isEqualTo(Map.of("C", 2.0, "kernel", "rbf"));
            assertThat(withoutScript(next.diff())).isEqualTo("""
                    diff --git a/main.py b/main.py
                    --- a/main.py
                    +++ b/main.py
                    @@ -1,2 +1,2 @@
                    -epochs = 5
                    +epochs = 10
                     print('accuracy=0.8')
                    """);
        });
        assertThat(runDir.resolve("workspace.before-trial-3/main.py")).as("the workspace as it was, until trial 3 "
                + "is recorded").hasContent("epochs = 5\nprint('accuracy=0.8')");
    }

    @Test
    void aNonZeroExitIsAFailureNamingTheLastLine() throws IOException {
        Rebuilder.Outcome outcome = rebuild("""
                echo 'Traceback (most recent call last):'
                echo 'ValueError: no more ideas' >&2
                exit 1
                """);

        assertThat(outcome).isEqualTo(new Rebuilder.Failed(
                "rebuild program `sh rebuild.sh` exited 1: ValueError: no more ideas",
                List.of("Traceback (most recent call last):", "ValueError: no more ideas")));
        assertThat(runDir.resolve("workspace.before-trial-3")).as("the run ends: nothing to undo").doesNotExist();
    }

    @Test
    void aLineThatIsNotJsonIsAFailure() throws IOException {
        Rebuilder.Outcome outcome = rebuild("echo '{C: 3}'\n");

        assertThat(outcome).isInstanceOfSatisfying(Rebuilder.Failed.class, failed -> assertThat(failed.error())
                .isEqualTo("rebuild program printed an invalid parameter line: {C: 3} (Unexpected character ('C'"
                        + " (code 67)): was expecting double-quote to start field name); print a JSON object such as"
                        + " {\"C\": 3.2} as the last line"));
    }

    @Test
    void aJsonObjectWithANestedValueIsAFailure() throws IOException {
        Rebuilder.Outcome outcome = rebuild("echo '{\"C\": [1, 2]}'\n");

        assertThat(outcome).isInstanceOfSatisfying(Rebuilder.Failed.class, failed -> assertThat(failed.error())
                .isEqualTo("rebuild program printed an invalid parameter line: {\"C\": [1, 2]} (the value of \"C\""
                        + " is not a number, string or boolean); print a JSON object such as {\"C\": 3.2} as the"
                        + " last line"));
    }

    @Test
    void eachRunHasItsOwnLog() throws IOException {
        Files.writeString(workspace.dir().resolve("rebuild.sh"), "echo run\n");
        ScriptRebuilder rebuilder = new ScriptRebuilder(session, "sh rebuild.sh", new RunDir(runDir), workspace, Map.of());

        rebuilder.rebuild(history);
        rebuilder.rebuild(history);

        assertThat(runDir.resolve("rebuild-1.log")).content().contains("run");
        assertThat(runDir.resolve("rebuild-2.log")).content().contains("run");
    }

    /** A map that may hold nulls, as JSON null reads back. */
    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
