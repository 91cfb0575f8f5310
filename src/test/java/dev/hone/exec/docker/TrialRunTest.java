package dev.hone.exec.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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
}
