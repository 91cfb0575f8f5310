package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hone notify test} against real local HTTP receivers: one that accepts, one that answers 500. */
class NotifyCommandTest {

    @TempDir
    Path home;

    private HttpServer http;
    private final List<String> slackBodies = new CopyOnWriteArrayList<>();

    @BeforeEach
    void receivers() throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/slack", exchange -> {
            slackBodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write("ok".getBytes(StandardCharsets.UTF_8));
            exchange.close();
        });
        http.createContext("/broken", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        http.start();
    }

    @AfterEach
    void stop() {
        http.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + http.getAddress().getPort() + path;
    }

    @Test
    void reportsEveryChannelAndFailsWhenOneFails() throws IOException {
        Path config = home.resolve("hone-server.yaml");
        Files.writeString(config, "notify:\n  slack: {url: \"" + url("/slack") + "\"}\n");
        Path project = Files.createDirectories(home.resolve("digits"));
        Files.writeString(project.resolve("main.py"), "");
        Files.writeString(project.resolve("hone.yaml"),
                "notify:\n  webhook: {url: \"" + url("/broken") + "\", secret: s3cret-value}\n");
        Cli cli = new Cli(home);

        int code = cli.run("notify", "test", project.toString(), "--config", config.toString());

        assertThat(code).isEqualTo(1);
        assertThat(cli.out()).containsPattern("console\\s+sent").containsPattern("slack\\s+sent")
                .containsPattern("webhook\\s+failed")
                .doesNotContain("s3cret-value").doesNotContain(url("/broken"));
        assertThat(slackBodies).hasSize(1);
        assertThat(slackBodies.get(0)).contains("digits");
    }
}
