package dev.hone.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.hone.error.HoneException;
import dev.hone.spec.Spec;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The version of a data source: a directory's hash changes with any of its files, a URL without an ETag is known by
 * its Last-Modified, else by the hash of its body; a redirect is not followed, and only what the roots allow is read.
 * URLs are served by a real HTTP server on loopback standing in for a data host.
 */
class DataVersionsTest {

    @TempDir
    Path tmp;

    HttpServer host;
    String base;

    @BeforeEach
    void start() throws Exception {
        host = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        host.createContext("/dated.csv", exchange -> {
            exchange.getResponseHeaders().add("Last-Modified", "Wed, 21 Oct 2026 07:28:00 GMT");
            answer(exchange, 200, "dated");
        });
        host.createContext("/plain.csv", exchange -> answer(exchange, 200, "plain body"));
        host.createContext("/moved.csv", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
            answer(exchange, 302, "");
        });
        host.start();
        base = "http://127.0.0.1:" + host.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        host.stop(0);
    }

    static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws java.io.IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Test
    void aDirectorysVersionChangesWithAnyOfItsFiles() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("train"));
        Files.writeString(dir.resolve("a.csv"), "1\n");
        DataVersions versions = new DataVersions(DataRoots.of(List.of(tmp), List.of()));
        List<Spec.DataSource> sources = List.of(new Spec.DataSource.File(dir));
        String before = versions.versions(sources, Map.of()).get(dir.toString());
        assertThat(versions.versions(sources, Map.of()).get(dir.toString())).isEqualTo(before);

        Files.writeString(Files.createDirectories(dir.resolve("more")).resolve("b.csv"), "2\n");
        assertThat(versions.versions(sources, Map.of()).get(dir.toString())).startsWith("sha256:").isNotEqualTo(before);
    }

    @Test
    void aUrlIsKnownByItsLastModifiedElseByTheHashOfItsBody() throws Exception {
        DataVersions versions = new DataVersions(DataRoots.of(List.of(), List.of(base + "/")));
        Map<String, String> found = versions.versions(List.of(new Spec.DataSource.Url(URI.create(base + "/dated.csv")),
                new Spec.DataSource.Url(URI.create(base + "/plain.csv"))), Map.of());
        assertThat(found).containsExactly(Map.entry(base + "/dated.csv", "modified:Wed, 21 Oct 2026 07:28:00 GMT"),
                Map.entry(base + "/plain.csv", "sha256:" + HexFormat.of().formatHex(MessageDigest
                        .getInstance("SHA-256").digest("plain body".getBytes(StandardCharsets.UTF_8)))));
    }

    @Test
    void aRedirectIsNotFollowed() {
        DataVersions versions = new DataVersions(DataRoots.of(List.of(), List.of(base + "/")));
        assertThatThrownBy(() -> versions.versions(List.of(new Spec.DataSource.Url(URI.create(base + "/moved.csv"))),
                Map.of())).isInstanceOf(HoneException.class).hasMessage("data url " + base + "/moved.csv answered "
                + "HTTP 302: check the URL in data: of hone.yaml and that the server is up");
    }

    @Test
    void onlyWhatTheRootsAllowIsRead() {
        DataVersions versions = new DataVersions(DataRoots.of(List.of(tmp.resolve("data")),
                List.of("https://data.example.com/")));
        assertThatThrownBy(() -> versions.versions(List.of(new Spec.DataSource.Url(
                URI.create("https://data.example.com.evil.test/train.csv"))), Map.of()))
                .hasMessage("data url https://data.example.com.evil.test/train.csv does not start with any of the "
                        + "server's data_roots [https://data.example.com/]: hone serve fetches only data under them — "
                        + "add its prefix (e.g. https://data.example.com/) to data_roots in hone-server.yaml");
        assertThatThrownBy(() -> versions.versions(List.of(new Spec.DataSource.Url(
                URI.create("https://data.example.com/public/../../admin"))), Map.of()))
                .hasMessageStartingWith("data url https://data.example.com/public/../../admin does not start");
        assertThatThrownBy(() -> versions.versions(List.of(new Spec.DataSource.File(
                tmp.resolve("data/../etc"))), Map.of())).hasMessageStartingWith("data path " + tmp.resolve("data/../etc")
                + " (" + tmp.resolve("etc") + ") is not under the server's data_roots");
    }
}
