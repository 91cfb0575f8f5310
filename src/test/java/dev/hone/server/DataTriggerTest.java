package dev.hone.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.hone.run.RunStatus;
import dev.hone.store.EventRow;
import dev.hone.store.RunRow;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code data:} under {@code hone serve}: each run records the version of each source it trained on (a file's
 * hash, a URL's ETag); the head of the branch trains again when one changes, and not while none does (a URL asked
 * with {@code If-None-Match}, answered 304); a source outside {@code data_roots} is refused. The data URL is served
 * by a real HTTP server on loopback, standing in for the team's data host.
 */
class DataTriggerTest {

    @TempDir
    Path tmp;

    private HttpServer dataHost;
    private volatile String etag = "\"v1\"";
    private final List<String> conditions = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startDataHost() throws IOException {
        dataHost = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        dataHost.createContext("/train.parquet", exchange -> {
            String asked = exchange.getRequestHeaders().getFirst("If-None-Match");
            conditions.add(String.valueOf(asked));
            exchange.getResponseHeaders().add("ETag", etag);
            if (etag.equals(asked)) {
                exchange.sendResponseHeaders(304, -1);
            } else {
                byte[] body = ("parquet " + etag).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        dataHost.start();
    }

    @AfterEach
    void stopDataHost() {
        dataHost.stop(0);
    }

    @Test
    void aRunRecordsItsDataVersionsAndTheBranchTrainsAgainWhenASourceChanges() throws Exception {
        Path datasets = Files.createDirectories(tmp.resolve("datasets"));
        Path csv = Files.writeString(datasets.resolve("train.csv"), "x,y\n1,2\n");
        String url = "http://127.0.0.1:" + dataHost.getAddress().getPort() + "/train.parquet";
        GitFixture repo = new GitFixture(tmp, "digits");
        String head = repo.write("main.py", "print('accuracy=0.91')\n")
                .write("hone.yaml", "data:\n  - path: " + csv + "\n  - url: " + url + "\n").commit("Start");
        repo.push("main");
        List<String> roots = List.of(datasets.toString(), "http://127.0.0.1:" + dataHost.getAddress().getPort());
        try (Serve serve = Serve.readingData(tmp.resolve("data"),
                List.of(Serve.polled(repo.url(), Duration.ofSeconds(1))), roots)) {
            RunRow first = serve.awaitFinished(head, 30);
            assertThat(first.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(serve.store.dataVersions(first.id())).containsExactly(
                    Map.entry(csv.toString(), "sha256:" + sha256("x,y\n1,2\n")), Map.entry(url, "etag:\"v1\""));
            assertThat(serve.output()).contains("hone: data " + csv + " at sha256:" + sha256("x,y\n1,2\n"));
            assertThat(serve.get("/api/runs/" + first.id()).body()).contains("\"data_versions\":{\"" + csv
                    + "\":\"sha256:" + sha256("x,y\n1,2\n") + "\",\"" + url + "\":\"etag:\\\"v1\\\"\"}");

            assertThat(serve.server.checkData()).as("nothing changed").isEmpty();
            assertThat(conditions).as("the URL is asked whether it changed since the version trained on")
                    .endsWith("\"v1\"");

            Files.writeString(csv, "x,y\n1,2\n3,4\n");
            List<Long> queued = serve.server.checkData();
            assertThat(queued).as("the file changed").hasSize(1);
            RunRow second = serve.awaitRun(r -> r.id() == queued.get(0) && !r.status().live(), 30);
            assertThat(second.commit()).as("the head of the branch, again").isEqualTo(head);
            assertThat(serve.store.dataVersions(second.id())).containsEntry(csv.toString(),
                    "sha256:" + sha256("x,y\n1,2\n3,4\n"));
            assertThat(serve.server.checkData()).isEmpty();

            etag = "\"v2\"";
            List<Long> again = serve.server.checkData();
            assertThat(again).as("the URL's ETag changed").hasSize(1);
            RunRow third = serve.awaitRun(r -> r.id() == again.get(0) && !r.status().live(), 30);
            assertThat(serve.store.dataVersions(third.id())).containsEntry(url, "etag:\"v2\"");
        }
    }

    @Test
    void aSourceOutsideTheDataRootsIsRefusedAndNothingOfItIsRead() throws Exception {
        Path datasets = Files.createDirectories(tmp.resolve("datasets"));
        Path secret = Files.writeString(tmp.resolve("secret.txt"), "not for pushed code");
        Files.createSymbolicLink(datasets.resolve("link.txt"), secret);
        GitFixture repo = new GitFixture(tmp, "digits");
        String head = repo.write("main.py", "print('accuracy=0.91')\n")
                .write("hone.yaml", "data:\n  - path: " + datasets.resolve("link.txt") + "\n").commit("Start");
        repo.push("main");
        try (Serve serve = Serve.readingData(tmp.resolve("data"),
                List.of(Serve.polled(repo.url(), Duration.ofSeconds(1))), List.of(datasets.toString()))) {
            RunRow run = serve.awaitFinished(head, 30);
            assertThat(run.status()).isEqualTo(RunStatus.FAILED);
            assertThat(serve.store.events(run.id())).extracting(EventRow::message).anySatisfy(m -> assertThat(m)
                    .contains("data path " + datasets.resolve("link.txt") + " (" + secret.toRealPath() + ") is not "
                            + "under the server's data_roots [" + datasets + "]: hone serve reads only data under "
                            + "them — add its directory to data_roots in hone-server.yaml, or move the data"));
            assertThat(serve.store.dataVersions(run.id())).isEmpty();
            assertThat(serve.server.checkData()).isEmpty();
        }
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
