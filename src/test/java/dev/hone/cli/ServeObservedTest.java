package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hone.build.Build;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
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
    void configuredByHoneVariablesARealRunIsLoggedAsJsonMeasuredInMetricsAndTheTrialSeesNoSetting() throws Exception {
        GitFixture repo = new GitFixture(home, "digits");
        String commit = repo.write("main.py", "import os\nfor k, v in sorted(os.environ.items()):\n"
                        + "    print('env', k, v)\nprint('accuracy=0.91')\n")
                .write("hone.yaml", "name: digits\nmetric: {name: accuracy, target: 0.9}\n").commit("Start");
        repo.push("main");
        int port = Ports.free();
        Path config = Files.writeString(home.resolve("hone-server.yaml"), "listen: 127.0.0.1:8080\n"
                + "repositories:\n  - url: " + repo.url() + "\n");
        Map<String, String> settings = Map.of("HONE_LISTEN", "127.0.0.1:" + port, "HONE_API_TOKEN", SECRET,
                "HONE_EXECUTOR", "local", "HONE_REPOSITORIES_0_POLL", "1s", "HONE_TRIAL_ENV_PASS", "HONE_*,LANG",
                "HONE_LOG_FORMAT", "json");
        try (ServeProcess hone = ServeProcess.start(home, config, home.resolve("data"), settings)) {
            String base = "http://127.0.0.1:" + port;
            Await.until(() -> get(base + "/metrics").contains("hone_runs{status=\"target_reached\"} 1.0"),
                    "the run of " + commit + " to reach its target");
            Await.until(() -> get(base + "/metrics").contains("hone_project_best_value{"),
                    "the project's gauges, read from the store at most once a second");
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
            assertThat(lines).as("a notification of several lines is one event").anySatisfy(json -> assertThat(
                    json.get("message").asText()).startsWith("[target_reached] digits: accuracy 0.91 ≥ 0.9")
                    .contains("\n  commit: " + commit));
            assertThat(lines).as("the trial's own events carry its run and trial").anySatisfy(json -> {
                assertThat(json.get("message").asText()).startsWith("event=trial_ended run=1 trial=1 state=");
                assertThat(json.get("run").asText()).isEqualTo("1");
                assertThat(json.get("trial").asText()).isEqualTo("1");
            });
            assertThat(hone.said()).doesNotContain(SECRET);
            String trialLog = get(base + "/api/runs/1/logs?trial=1");
            assertThat(trialLog).as("the trial ran and printed its environment").contains("env PATH ")
                    .as("HONE_* settings never reach a trial, whatever trial_env.pass says")
                    .doesNotContain(SECRET).doesNotContain("HONE_API_TOKEN").doesNotContain("HONE_LISTEN");

            String metrics = get(base + "/metrics");
            assertThat(metrics).as("the trial's duration, in buckets")
                    .containsPattern("(?m)^hone_trial_duration_seconds_bucket\\{state=\"succeeded\",le=\"\\+Inf\"} 1$")
                    .contains("hone_trial_duration_seconds_bucket{state=\"succeeded\",le=\"3600.0\"} 1")
                    .contains("hone_trial_duration_seconds_count{state=\"succeeded\"} 1");
            assertThat(metrics).as("the run's wait in the queue")
                    .contains("hone_queue_wait_seconds_bucket{le=\"+Inf\"} 1").contains("hone_queue_wait_seconds_count 1");
            assertThat(metrics).as("the project's best against its target")
                    .contains("hone_project_best_value{direction=\"maximize\",project=\"digits\"} 0.91")
                    .contains("hone_project_target{direction=\"maximize\",project=\"digits\"} 0.9");
            Build build = Build.current();
            assertThat(metrics).contains("hone_build_info{commit=\"" + build.commit() + "\",version=\""
                    + build.version() + "\"} 1");
            assertThat(metrics).as("the JVM's and the process's").containsPattern("(?m)^jvm_memory_used_bytes\\{")
                    .containsPattern("(?m)^jvm_threads_live_threads ").containsPattern("(?m)^jvm_gc_memory_allocated_bytes_total ")
                    .containsPattern("(?m)^process_cpu_usage ").containsPattern("(?m)^process_uptime_seconds ")
                    .containsPattern("(?m)^process_files_open_files ").containsPattern("(?m)^system_cpu_count ");
            assertThat(dashboardMetrics()).as("every metric deploy/grafana/hone.json queries is exported")
                    .hasSizeGreaterThan(15)
                    .allSatisfy(name -> assertThat(metrics).containsPattern("(?m)^" + name + "[{ ]"));
        }
    }

    /** The names of the metrics the Grafana dashboard's queries read. */
    static Set<String> dashboardMetrics() throws IOException {
        Set<String> names = new TreeSet<>();
        Pattern metric = Pattern.compile("\\b(?:hone|jvm|process|system)_[a-z0-9_]+\\b");
        new ObjectMapper().readTree(Path.of("deploy/grafana/hone.json").toFile()).findValues("expr")
                .forEach(expr -> metric.matcher(expr.asText()).results().forEach(m -> names.add(m.group())));
        return names;
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
