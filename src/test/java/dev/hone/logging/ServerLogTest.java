package dev.hone.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hone.error.HoneException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** What {@code hone serve} writes: JSON or text lines with time, level, logger, run, trial and message; no secret. */
class ServerLogTest {

    private static final String SECRET = "s3cr\"et\\token";
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @AfterEach
    void backToTheDefaultConfiguration() throws Exception {
        MDC.clear();
        var context = (ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        new ch.qos.logback.classic.util.ContextInitializer(context).autoConfig();
    }

    @Test
    void jsonModeWritesOneObjectALineWithTimeLevelLoggerRunTrialAndMessage() throws Exception {
        PrintStream console = ServerLog.install(LogFormat.JSON, out, Set.of(SECRET)).console();
        console.println("hone: serving on http://127.0.0.1:8080");
        console.println();
        console.println("[target_reached] digits: accuracy 0.91 ≥ 0.9\n  best trial: 1");
        try (var run = MDC.putCloseable(LogFormat.RUN, "7"); var trial = MDC.putCloseable(LogFormat.TRIAL, "3")) {
            LoggerFactory.getLogger("dev.hone.pipeline.TrialExecution").info("event=trial_ended trial={}", 3);
        }
        LoggerFactory.getLogger("org.eclipse.jgit.Fetch").warn("cannot fetch with token {}", SECRET);
        LoggerFactory.getLogger("org.eclipse.jgit.Fetch").info("not shown: libraries speak at WARN");
        LoggerFactory.getLogger("dev.hone.server.Poller").debug("not shown: Hone speaks at INFO");

        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            lines.add(new ObjectMapper().readTree(line));
        }
        assertThat(lines).hasSize(4);
        assertThat(lines.remove(1).get("message").asText()).as("a notification of two lines, one event")
                .isEqualTo("[target_reached] digits: accuracy 0.91 ≥ 0.9\n  best trial: 1");
        JsonNode serving = lines.get(0);
        assertThat(serving.get("level").asText()).isEqualTo("INFO");
        assertThat(serving.get("logger").asText()).isEqualTo("dev.hone.serve");
        assertThat(serving.get("message").asText()).isEqualTo("hone: serving on http://127.0.0.1:8080");
        assertThat(serving.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        assertThat(serving.has("run")).isFalse();
        JsonNode trial = lines.get(1);
        assertThat(trial.get("run").asText()).isEqualTo("7");
        assertThat(trial.get("trial").asText()).isEqualTo("3");
        assertThat(trial.get("message").asText()).isEqualTo("event=trial_ended trial=3");
        JsonNode library = lines.get(2);
        assertThat(library.get("level").asText()).isEqualTo("WARN");
        assertThat(library.get("message").asText()).isEqualTo("cannot fetch with token ***");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("s3cr");
    }

    @Test
    void textModeWritesTheTimeInIsoAndTheLevelAndNoSecret() {
        PrintStream console = ServerLog.install(LogFormat.TEXT, out, Set.of(SECRET)).console();
        console.println("hone: read access: public");
        try (var run = MDC.putCloseable(LogFormat.RUN, "7"); var trial = MDC.putCloseable(LogFormat.TRIAL, "3")) {
            LoggerFactory.getLogger("dev.hone.pipeline.TrialExecution").info("event=trial_ended token={}", SECRET);
        }
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO  dev\\.hone\\.serve - "
                + "hone: read access: public");
        assertThat(lines[1]).matches(".*Z INFO  dev\\.hone\\.pipeline\\.TrialExecution run=7 trial=3 - "
                + "event=trial_ended token=\\*\\*\\*");
    }

    @Test
    void anUnknownFormatSaysWhichAreKnown() {
        assertThatThrownBy(() -> LogFormat.of("xml", "--log-format")).isInstanceOf(HoneException.class)
                .hasMessage("--log-format must be one of text | json, got xml");
    }
}
