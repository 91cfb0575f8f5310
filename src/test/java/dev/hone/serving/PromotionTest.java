package dev.hone.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.App;
import dev.hone.data.DataDir;
import dev.hone.pipeline.RunListener;
import dev.hone.pipeline.RunOutcome;
import dev.hone.pipeline.RunRequest;
import dev.hone.pipeline.Summary;
import dev.hone.run.RunStatus;
import dev.hone.store.EventRow;
import dev.hone.store.Store;
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

/**
 * Through the real pipeline and a real served container: a run's model replaces the served one only when it beats it
 * by {@code serve.promote.min_improvement}; otherwise the run says which model stays and why.
 */
class PromotionTest {

    static final String PROJECT = "supervise-promoted";

    @TempDir
    Path tmp;

    @Test
    void onlyABetterModelReplacesTheServedOneAndAWorseRunSaysItKeptIt() throws Exception {
        Parts.requireDocker();
        int port = ServeFixture.freePort();
        Path project = Files.createDirectories(tmp.resolve(PROJECT));
        Files.writeString(project.resolve("serve.py"), ServeScript.PY);
        Files.writeString(project.resolve("hone.yaml"), """
                environment: {executor: docker, image: hone/python}
                metric: {name: accuracy, target: 0.9}
                serve:
                  command: python3 serve.py
                  port: %d
                  promote: {min_improvement: 0.002}
                """.formatted(port));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("HOME", tmp.toString());
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
        App app = new App(env, out, out, InstantSource.system(), new Random(1));
        DataDir data = new DataDir(tmp.resolve("data"));
        Deployments deployments = app.deployments();
        try (Store store = app.store(data)) {
            RunOutcome first = train(app, store, data, out, project, "model of 0.953", 0.953);
            assertThat(ServeFixture.get(port, "/predict")).isEqualTo("model of 0.953");

            RunOutcome worse = train(app, store, data, out, project, "model of 0.949", 0.949);

            String kept = PROJECT + ": kept the served model of run " + first.runId() + " (0.953 > 0.949)";
            assertThat(worse.summary().status()).isEqualTo(RunStatus.TARGET_REACHED);
            assertThat(worse.summary().events()).extracting(Summary.Event::type, Summary.Event::message)
                    .contains(org.assertj.core.groups.Tuple.tuple("model_kept", kept));
            assertThat(worse.summary().notifications()).extracting(Summary.Notification::event).contains("model_kept");
            assertThat(store.events(worse.runId())).extracting(EventRow::message).contains(kept);
            assertThat(console.toString(StandardCharsets.UTF_8)).contains("hone: serve: kept the served model of run "
                    + first.runId() + " (0.953 > 0.949)");
            assertThat(ServeFixture.get(port, "/predict")).isEqualTo("model of 0.953");

            RunOutcome barely = train(app, store, data, out, project, "model of 0.954", 0.954);
            assertThat(barely.summary().events()).extracting(Summary.Event::message).contains(PROJECT
                    + ": kept the served model of run " + first.runId() + " (0.954 is not 0.002 better than 0.953)");

            RunOutcome better = train(app, store, data, out, project, "model of 0.96", 0.96);
            assertThat(better.summary().events()).extracting(Summary.Event::type).doesNotContain("model_kept");
            assertThat(ServeFixture.get(port, "/predict")).isEqualTo("model of 0.96");
            assertThat(deployments.status(PROJECT).orElseThrow().runId()).isEqualTo(better.runId());
        } finally {
            deployments.close();
            Docker.removeAll("hone.deployment=" + PROJECT);
        }
    }

    private static RunOutcome train(App app, Store store, DataDir data, PrintStream out, Path project, String model,
                                    double accuracy) throws Exception {
        Files.writeString(project.resolve("main.py"), """
                import os
                open(os.path.join(os.environ["HONE_OUTPUT"], "model.txt"), "w").write("%s")
                print("accuracy=%s")
                """.formatted(model, accuracy));
        return app.pipeline(store, data, out, RunListener.NONE).run(RunRequest.of(project));
    }
}
