package dev.hone.exec.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.exec.Executor;
import dev.hone.exec.ProcessRequest;
import dev.hone.exec.ProcessResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The acceptance example trains in the container, on the image's scikit-learn, not the host's. */
@ExtendWith(DockerAvailable.class)
class DigitsInContainerTest {

    @TempDir
    Path data;

    @Test
    void digitsSklearnReachesItsTargetInsideTheContainer() throws Exception {
        Runs run = new Runs(data);
        Path example = Path.of("examples", "digits-sklearn");
        for (String file : new String[] {"main.py", "hone.yaml"}) {
            Files.copy(example.resolve(file), run.workspace.resolve(file));
        }
        try (Executor.Session session = new DockerExecutor(System.getenv()).open(run.workspace,
                run.config("auto", 1024L * 1024 * 1024, false))) {
            ProcessRequest base = run.trial(1, "test -f /.dockerenv && echo host=$(cat /etc/hostname);"
                    + " python3 -c 'import sklearn; print(\"sklearn from\", sklearn.__file__)'; python3 main.py",
                    Duration.ofMinutes(5));
            Map<String, String> env = new HashMap<>(base.env());
            env.put("HONE_PARAM_C", "10");
            env.put("HONE_PARAM_GAMMA", "0.001");

            ProcessResult result = session.run(new ProcessRequest(base.command(), env, base.logFile(), base.timeout(),
                    base.onLine()));

            assertThat(result.succeeded()).as(result.toString()).isTrue();
            assertThat(result.tail()).startsWith("host=" + ((DockerSession) session).containerId().substring(0, 12),
                    "sklearn from /usr/lib/python3/dist-packages/sklearn/__init__.py");
            double accuracy = Double.parseDouble(result.tail().getLast().substring("accuracy=".length()));
            assertThat(accuracy).isGreaterThanOrEqualTo(0.98);
            assertThat(run.output(1).resolve("model.pkl")).isNotEmptyFile();
        }
    }
}
