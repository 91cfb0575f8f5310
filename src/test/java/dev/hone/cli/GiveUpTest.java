package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tune.give_up_below}: a run whose chance of reaching its target within the remaining trials falls below it
 * stops early, {@code target_missed} with the reason in its event, its notification (a real webhook receiver on
 * loopback) and its summary; one that can still reach it is not stopped. The chance is on each progress line.
 */
class GiveUpTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;
    HttpServer receiver;
    final List<String> posted = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            posted.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    /** A grid of eight points whose trial N prints {@code values[N - 1]} (the grid's order is shuffled). */
    private Path project(String values, String target) throws IOException {
        return RunCommandTest.project(home.resolve("p"), """
                name: digits
                metric: {name: accuracy, target: %s}
                tune:
                  strategy: grid
                  params: {v: [1, 2, 3, 4, 5, 6, 7, 8]}
                  max_trials: 20
                  give_up_below: 0.05
                notify:
                  on: [target_missed, target_reached]
                  webhook: {url: "http://127.0.0.1:%d/hook"}
                """.formatted(target, receiver.getAddress().getPort()), """
                import os
                print("accuracy=%%s" %% [%s][int(os.environ["HONE_TRIAL"]) - 1])
                """.formatted(values));
    }

    @Test
    void aRunThatCannotReachItsTargetStopsEarlySayingWhy() throws Exception {
        Path dir = project("0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5", "0.95");
        Cli cli = new Cli(home);
        Path out = home.resolve("out.json");

        int code = cli.run("run", dir.toString(), "--executor", "local", "--json", out.toString());

        assertThat(code).as(cli.out() + cli.err()).isEqualTo(1);
        String chance = "P(reach 0.95 in the next 17 trials) < 0.01, about ";
        String reason = "(?s).*digits: accuracy target 0.95 missed after 3 trials, best 0.5 \\(gave up: "
                + Pattern.quote(chance) + "\\d+ (s|min), below tune.give_up_below 0.05\\).*";
        JsonNode summary = JSON.readTree(out.toFile());
        assertThat(summary.get("status").asText()).isEqualTo("target_missed");
        assertThat(summary.get("trials").size()).as("stopped after the third value, not at 8").isEqualTo(3);
        assertThat(summary.get("events").toString()).matches(reason);
        assertThat(cli.out()).contains("trial 3/20  accuracy 0.5000  · best 0.5000 (trial 1)  · target ≥ 0.9500  · "
                + chance);
        assertThat(posted).singleElement().asString().matches(reason);
    }

    @Test
    void aRunThatCanStillReachItsTargetGoesOn() throws Exception {
        Path dir = project("0.9, 0.5, 0.94, 0.7, 0.96", "0.95");
        Cli cli = new Cli(home);
        Path out = home.resolve("out.json");

        int code = cli.run("run", dir.toString(), "--executor", "local", "--json", out.toString());

        assertThat(code).as(cli.out() + cli.err()).isZero();
        JsonNode summary = JSON.readTree(out.toFile());
        assertThat(summary.get("status").asText()).isEqualTo("target_reached");
        assertThat(summary.get("trials").size()).isEqualTo(5);
        assertThat(cli.out()).contains("trial 3/20  accuracy 0.9400  · best 0.9400 (trial 3)  · target ≥ 0.9500  · "
                + "P(reach 0.95 in the next 17 trials) ≈ 0.99, about ");
        assertThat(posted).singleElement().asString().contains("\"event\":\"target_reached\"");
    }

    @Test
    void aChanceOutsideZeroToOneIsAConfigurationErrorSayingWhatToGive() throws Exception {
        Path dir = project("0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5", "0.95");
        Files.writeString(dir.resolve("hone.yaml"), Files.readString(
                dir.resolve("hone.yaml")).replace("give_up_below: 0.05", "give_up_below: 5"));
        Cli cli = new Cli(home);

        int code = cli.run("run", dir.toString(), "--executor", "local");

        assertThat(code).isEqualTo(2);
        assertThat(cli.err()).contains("hone.yaml:7:18: tune.give_up_below: must be a chance between 0 and 1 (the run"
                + " stops, the target missed, once its chance of reaching the target within the remaining trials falls"
                + " below it), e.g. give_up_below: 0.05, got 5");
    }
}
