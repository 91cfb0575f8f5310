package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hone.server.GitFixture;
import dev.hone.testing.Await;
import dev.hone.testing.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code hone serve} process watching a real repository, observed as an operator does: its log
 * ({@code --log-format json}) and its {@code /metrics} after a real run.
 */
class ServeObservedTest {

    private static final String SECRET = "api-token-that-must-never-be-logged-42";

    @TempDir
    Path home;

    @Test
    void inJsonModeEveryLineIsAnObjectWithTimeLevelLoggerMessageAndTheRunAndTrialAndNoSecret() throws Exception {
        GitFixture repo = new GitFixture(home, "digits");
        String commit = repo.write("main.py", "print('accuracy=0.91')\n")
                .write("hone.yaml", "name: digits\nmetric: {name: accuracy, target: 0.9}\n").commit("Start");
        repo.push("main");
        int port = Ports.free();
        Path config = Files.writeString(home.resolve("hone-server.yaml"), "listen: 127.0.0.1:" + port + "\n"
                + "api_token: ${TOKEN_OF_THE_TEST}\nexecutor: local\n"
                + "repositories:\n  - url: " + repo.url() + "\n    poll: 1s\n");
        try (ServeProcess hone = ServeProcess.start(home, config, home.resolve("data"),
                Map.of("TOKEN_OF_THE_TEST", SECRET), "--log-format", "json")) {
            String base = "http://127.0.0.1:" + port;
            Await.until(() -> get(base + "/metrics").contains("hone_runs{status=\"target_reached\"} 1.0"),
                    "the run of " + commit + " to reach its target");
            Await.until(() -> hone.said().contains("event=trial_ended"), "the trial's end in the log");

            List<JsonNode> lines = new ArrayList<>();
            for (String line : hone.lines()) {
                if (line.startsWith("WARNING: ") || line.isEmpty()) {
                    continue; // the JVM's own warning block, on stderr (sqlite-jdbc's System::load)
                }
                JsonNode json = new ObjectMapper().readTree(line);
                assertThat(json.isObject()).as(line).isTrue();
                assertThat(json.get("time").asText()).as(line).matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z");
                assertThat(json.get("level").asText()).as(line).isIn("INFO", "WARN", "ERROR");
                assertThat(json.get("logger").asText()).as(line).isNotBlank();
                assertThat(json.get("message").asText()).as(line).isNotBlank();
                lines.add(json);
            }
            assertThat(lines).anySatisfy(json -> assertThat(json.get("message").asText())
                    .startsWith("hone: serving on http://127.0.0.1:" + port));
            assertThat(lines).as("the trial's own events carry its run and trial").anySatisfy(json -> {
                assertThat(json.get("message").asText()).startsWith("event=trial_ended run=1 trial=1 state=");
                assertThat(json.get("run").asText()).isEqualTo("1");
                assertThat(json.get("trial").asText()).isEqualTo("1");
            });
            assertThat(hone.said()).doesNotContain(SECRET);
        }
    }

    static String get(String url) {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
