package dev.hone.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.hone.App;
import dev.hone.data.DataDir;
import dev.hone.run.RunStatus;
import dev.hone.spec.Spec;
import dev.hone.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run that missed its target says, in its notification, its chance of reaching it with the same budget again. */
class ForesightNotificationTest {

    @TempDir
    Path tmp;

    @Test
    void theTargetMissedNotificationCarriesTheChanceWithAnotherBudget() throws Exception {
        List<String> posted = new CopyOnWriteArrayList<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hook.createContext("/", exchange -> {
            posted.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        hook.start();
        try {
            Path project = Files.createDirectories(tmp.resolve("digits"));
            Files.writeString(project.resolve("hone.yaml"), """
                    metric: {name: accuracy, target: 0.95}
                    tune: {strategy: random, seed: 3, max_trials: 5, params: {x: {min: 0, max: 1}}}
                    notify: {webhook: {url: "http://127.0.0.1:%d/hook"}}
                    """.formatted(hook.getAddress().getPort()));
            Files.writeString(project.resolve("main.py"), """
                    import os
                    print("accuracy=%s" % (0.9 + 0.045 * float(os.environ["HONE_PARAM_X"])))
                    """);
            Map<String, String> env = new HashMap<>(System.getenv());
            env.put("HOME", tmp.toString());
            PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            App app = new App(env, quiet, quiet, InstantSource.system(), new Random(1));
            DataDir data = new DataDir(tmp.resolve("data"));
            RunOutcome outcome;
            try (Store store = app.store(data)) {
                outcome = app.pipeline(store, data, quiet, RunListener.NONE)
                        .run(new RunRequest(project, Spec.Executor.LOCAL, null, null, null, null));
            }

            assertThat(outcome.summary().status()).isEqualTo(RunStatus.TARGET_MISSED);
            assertThat(posted).singleElement().asString().contains("\"event\":\"target_missed\"")
                    .containsPattern("\"foresight\":\"P\\(reach 0\\.95 in the next 5 trials\\) < 0\\.01, about \\d+ s\"");
        } finally {
            hook.stop(0);
        }
    }
}
