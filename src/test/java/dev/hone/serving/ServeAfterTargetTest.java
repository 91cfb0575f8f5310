package dev.hone.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.App;
import dev.hone.data.DataDir;
import dev.hone.pipeline.RunListener;
import dev.hone.pipeline.RunOutcome;
import dev.hone.pipeline.RunRequest;
import dev.hone.run.RunStatus;
import dev.hone.store.Store;
import dev.hone.testing.Await;
import dev.hone.testing.Docker;
import dev.hone.testing.Parts;
import dev.hone.testing.ServeScript;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Through the real pipeline: a run that reaches its target has its best model served; a later, better run replaces it. */
class ServeAfterTargetTest {

    @TempDir
    Path tmp;

    @Test
    void aRunThatReachesItsTargetIsServedAndTheNextOneReplacesIt() throws Exception {
        Parts.requireDocker();
        int port = ServeFixture.freePort();
        Path project = Files.createDirectories(tmp.resolve("supervise-served"));
        Files.writeString(project.resolve("serve.py"), ServeScript.PY);
        Files.writeString(project.resolve("hone.yaml"), """
                environment: {executor: docker, image: hone/python}
                metric: {name: accuracy, target: 0.95}
                serve:
                  command: python3 serve.py
                  port: %d
                  health: /health
                  restart: {policy: on-failure, max_restarts: 2}
                """.formatted(port));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("HOME", tmp.toString());
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
        App app = new App(env, out, out, InstantSource.system(), new Random(1));
        DataDir data = new DataDir(tmp.resolve("data"));
        Deployments deployments = app.deployments();
        try (Store store = app.store(data)) {
            Files.writeString(project.resolve("main.py"), train("first model", 0.97));
            RunOutcome first = app.pipeline(store, data, out, RunListener.NONE).run(RunRequest.of(project));

            assertThat(first.summary().status()).isEqualTo(RunStatus.TARGET_REACHED);
            assertThat(console.toString(StandardCharsets.UTF_8)).contains("hone: serving trial 1 of run 1 on"
                    + " http://127.0.0.1:" + port + " (container ");
            assertThat(ServeFixture.get(port, "/predict")).isEqualTo("first model");

            Files.writeString(project.resolve("main.py"), train("second model", 0.98));
            RunOutcome second = app.pipeline(store, data, out, RunListener.NONE).run(RunRequest.of(project));

            assertThat(second.summary().status()).isEqualTo(RunStatus.TARGET_REACHED);
            assertThat(ServeFixture.get(port, "/predict")).isEqualTo("second model");
            Deployments.Status status = deployments.status("supervise-served").orElseThrow();
            assertThat(status.runId()).isEqualTo(2);
            Await.until(() -> Docker.all("hone.deployment=supervise-served").size() == 1,
                    "the old model removed");
            assertThat(Docker.running("hone.deployment=supervise-served")).containsExactly(status.container());
        } finally {
            deployments.close();
            Docker.removeAll("hone.deployment=supervise-served");
        }
    }

    /** The second run's model is better: only a better model replaces the served one. */
    private static String train(String model, double accuracy) {
        return """
                import os
                open(os.path.join(os.environ["HONE_OUTPUT"], "model.txt"), "w").write("%s")
                print("accuracy=%s")
                """.formatted(model, accuracy);
    }
}
