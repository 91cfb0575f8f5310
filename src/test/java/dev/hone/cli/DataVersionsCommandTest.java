package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code data:} under {@code hone run}: the run says the version of each source it trains on (the user's own data,
 * wherever it is: no data_roots), and {@code hone trials} shows it with the run.
 */
class DataVersionsCommandTest {

    @TempDir
    Path home;

    @Test
    void aRunSaysAndRecordsTheVersionOfItsDataAndHoneTrialsShowsIt() throws Exception {
        Path datasets = Files.createDirectories(home.resolve("datasets/train"));
        Files.writeString(datasets.resolve("a.csv"), "x\n1\n");
        Files.writeString(datasets.resolve("b.csv"), "x\n2\n");
        Path dir = Files.createDirectories(home.resolve("proj"));
        Files.writeString(dir.resolve("main.py"), "print('accuracy=0.8')\n");
        Files.writeString(dir.resolve("hone.yaml"), "name: proj\ndata:\n  - path: " + datasets + "\n");
        Path data = home.resolve("data");
        Cli cli = new Cli(home);

        assertThat(cli.run("run", dir.toString(), "--data", data.toString())).as(cli.err()).isZero();
        String version = "sha256:" + sha256("a.csv\0" + 4 + "\0" + sha256("x\n1\n") + "\n" + "b.csv\0" + 4 + "\0"
                + sha256("x\n2\n") + "\n");
        assertThat(cli.out()).contains("hone: data " + datasets + " at " + version + "\n");

        assertThat(cli.run("trials", "--data", data.toString())).isZero();
        assertThat(cli.out()).contains("data " + datasets + " at " + version + "\n");
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aUrlsQueryValuesAndCredentialsAreMaskedInWhatTheRunSaysAndRecords() throws Exception {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/train.csv", exchange -> {
            exchange.getResponseHeaders().add("ETag", "\"v1\"");
            byte[] body = "x\n1\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            Path dir = Files.createDirectories(home.resolve("proj"));
            Files.writeString(dir.resolve("main.py"), "print('accuracy=0.8')\n");
            String port = Integer.toString(server.getAddress().getPort());
            Files.writeString(dir.resolve("hone.yaml"), "name: proj\ndata:\n  - url: \"http://ana:pw-s3cret-1@127.0.0.1:"
                    + port + "/train.csv?token=tok-s3cret-2&v=3\"\n");
            Path data = home.resolve("data");
            Cli cli = new Cli(home);

            assertThat(cli.run("run", dir.toString(), "--data", data.toString())).as(cli.err()).isZero();
            assertThat(cli.out()).contains("hone: data http://***@127.0.0.1:" + port
                    + "/train.csv?token=***&v=*** at etag:\"v1\"\n").doesNotContain("s3cret");
            assertThat(cli.run("trials", "--data", data.toString())).isZero();
            assertThat(cli.out()).contains("data http://***@127.0.0.1:" + port + "/train.csv?token=***&v=***")
                    .doesNotContain("s3cret");
        } finally {
            server.stop(0);
        }
    }
}
