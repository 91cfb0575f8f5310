package dev.hone.exec.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrialRunTest {

    @Test
    void theRunScriptEntersTheWorkspaceExportsTheRequestsVariablesAndExecsTheCommand() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HONE_OUTPUT", "/data/runs/7/trials/1/output");
        env.put("HONE_PARAM_KERNEL", "it's rbf");
        env.put("not a name", "skipped");

        assertThat(TrialRun.script(Path.of("/data/runs/7/workspace"), env, "python3 main.py --C='3'"))
                .isEqualTo("""
                        cd '/data/runs/7/workspace' || exit 1
                        export HONE_OUTPUT='/data/runs/7/trials/1/output'
                        export HONE_PARAM_KERNEL='it'"'"'s rbf'
                        exec sh -c 'python3 main.py --C='"'"'3'"'"''
                        """);
    }

    @Test
    void durationsReadAsTheLocalExecutorWritesThem() {
        assertThat(Endings.human(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(Endings.human(Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThat(Endings.human(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(Endings.human(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(Endings.human(Duration.ofMinutes(90))).isEqualTo("1h30m");
    }
}
