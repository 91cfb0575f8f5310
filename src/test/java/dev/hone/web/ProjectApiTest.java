package dev.hone.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hone.run.RunStatus;
import dev.hone.server.GitFixture;
import dev.hone.server.QueuePolicy;
import dev.hone.server.Serve;
import dev.hone.server.Tokens;
import dev.hone.spec.ServerSpec.ReadAccess;
import dev.hone.store.NewRun;
import dev.hone.store.RunRow;
import dev.hone.store.TokenRow.Scope;
import dev.hone.tune.Trial;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API behind the dashboard's project views, against a real {@code hone serve} that ran a real repository's
 * three commits: the history across commits with the run that fell below its predecessor flagged, runs compared
 * with the diff of their {@code hone.yaml}, downloads of a trial's output and of the model as {@code .tar.gz}, runs
 * paged by cursor, writes from a signed-in dashboard, and a page's event stream.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProjectApiTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern SESSION = Pattern.compile("hone_session=([A-Za-z0-9_-]{43});.*");

    @TempDir
    static Path tmp;
    Serve serve;
    GitFixture repo;
    /** Another project, for the tests that queue runs of their own. */
    GitFixture other;
    final List<Long> runs = new ArrayList<>();
    final List<String> commits = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        repo = new GitFixture(tmp, "digits");
        other = new GitFixture(tmp, "other");
        other.write("main.py", "print('accuracy=0.5')\n").commit("Other");
        other.push("main");
        serve = new Serve(tmp.resolve("data"), List.of(Serve.webhooks(repo.url(), "s"),
                Serve.webhooks(other.url(), "s")), QueuePolicy.of(1));
        double[] values = {0.8, 0.7, 0.96};
        for (int i = 0; i < values.length; i++) {
            repo.write("main.py", """
                    import os, pathlib
                    pathlib.Path(os.environ["HONE_OUTPUT"], "model.txt").write_text("weights of commit %d")
                    print("accuracy=%s")
                    """.formatted(i + 1, values[i])).write("hone.yaml", """
                    metric: {name: accuracy, target: 0.95}
                    train: {timeout: %dm}
                    """.formatted(10 + i));
            String sha = repo.commit("Change " + (i + 1));
            repo.push("main");
            commits.add(sha);
            long id = JSON.readTree(serve.post("/api/runs", "{\"project\": \"digits\", \"commit\": \"" + sha + "\"}")
                    .body()).get("id").asLong();
            serve.awaitRun(r -> r.id() == id && r.finishedAt() != null, 60);
            runs.add(id);
        }
    }

    @AfterAll
    void stop() {
        if (serve != null) {
            serve.close();
        }
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    @Test
    void theHistoryFlagsTheRunWhoseBestFellBelowThePreviousRunsBest() throws Exception {
        JsonNode history = json(serve.get("/api/projects/digits/history"));

        assertThat(history.get("metric").toString())
                .isEqualTo("{\"name\":\"accuracy\",\"direction\":\"maximize\",\"target\":0.95}");
        assertThat(history.get("model").asBoolean()).as("the third run reached the target").isTrue();
        JsonNode points = history.get("runs");
        assertThat(points.findValues("run")).extracting(r -> r.get("id").asLong()).containsExactlyElementsOf(runs);
        assertThat(points.findValues("run")).extracting(r -> r.get("commit").asText())
                .containsExactlyElementsOf(commits);
        assertThat(points.findValues("run")).extracting(r -> r.get("message").asText())
                .containsExactly("Change 1", "Change 2", "Change 3");
        assertThat(points.findValues("regression")).extracting(JsonNode::asBoolean).containsExactly(false, true, false);
        assertThat(points.get(1).get("previous_run").asLong()).isEqualTo(runs.get(0));
        assertThat(points.get(1).get("previous_best").asDouble()).isEqualTo(0.8);
        assertThat(points.get(2).get("previous_run").isNull()).isTrue();
        assertThat(points.get(2).get("target").asDouble()).isEqualTo(0.95);

        assertThat(serve.get("/api/projects/nope/history").body()).isEqualTo("{\"error\":\"no project nope: a project "
                + "appears with its first run; GET /api/projects lists them\"}");
    }

    @Test
    void comparingRunsGivesTheirTrialsBestParamsAndTheDiffOfTheirHoneYamlFromTheMirror() throws Exception {
        JsonNode compared = json(serve.get("/api/compare?runs=" + runs.get(0) + "," + runs.get(2)));

        assertThat(compared).hasSize(2);
        assertThat(compared.get(0).get("trials").toString())
                .isEqualTo("[{\"number\":1,\"state\":\"succeeded\",\"value\":0.8}]");
        assertThat(compared.get(1).get("trials").get(0).get("value").asDouble()).isEqualTo(0.96);
        assertThat(compared.get(0).get("spec").asText()).contains("timeout: 10m");
        assertThat(compared.get(0).get("spec_diff").isNull()).as("the first is what the others differ from").isTrue();
        assertThat(compared.get(1).get("spec_diff").asText()).isEqualTo("""
                @@ -1,2 +1,2 @@
                 metric: {name: accuracy, target: 0.95}
                -train: {timeout: 10m}
                +train: {timeout: 12m}
                """);

        assertThat(serve.get("/api/compare?runs=" + runs.get(0)).body()).isEqualTo("{\"error\":\"compare two to 8 "
                + "different runs, got 1\"}");
        assertThat(serve.get("/api/compare?runs=1,x").body()).isEqualTo("{\"error\":\"runs must be run ids "
                + "separated by commas, got \\\"x\\\"\"}");
        assertThat(serve.get("/api/compare?runs=1,999").body()).isEqualTo("{\"error\":\"no run 999\"}");
    }

    @Test
    void aTrialsOutputAndTheProjectsModelDownloadAsTarGz() throws Exception {
        HttpResponse<byte[]> output = bytes("/api/runs/" + runs.get(0) + "/trials/1/output.tar.gz");
        assertThat(output.statusCode()).isEqualTo(200);
        assertThat(output.headers().firstValue("Content-Type")).hasValue("application/gzip");
        assertThat(output.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"digits-run" + runs.get(0) + "-trial1.tar.gz\"");
        assertThat(untar(output.body())).containsEntry("digits-run" + runs.get(0) + "-trial1/model.txt",
                "weights of commit 1");

        HttpResponse<byte[]> model = bytes("/api/projects/digits/model.tar.gz");
        assertThat(model.statusCode()).isEqualTo(200);
        assertThat(untar(model.body())).as("the model is the best trial of the run that reached the target")
                .containsEntry("digits-model/model.txt", "weights of commit 3");

        assertThat(serve.get("/api/runs/" + runs.get(0) + "/trials/7/output.tar.gz").body())
                .isEqualTo("{\"error\":\"run " + runs.get(0) + " has no trial 7\"}");
    }

    @Test
    void runsPageByCursorNewestFirst() throws Exception {
        JsonNode first = json(serve.get("/api/runs?project=digits&limit=2"));
        assertThat(first.get("items").findValues("id")).extracting(JsonNode::asLong)
                .containsExactly(runs.get(2), runs.get(1));
        assertThat(first.get("next_offset").asInt()).isEqualTo(2);
        assertThat(first.get("next_before").asLong()).isEqualTo(runs.get(1));
        JsonNode next = json(serve.get("/api/runs?project=digits&limit=2&before=" + first.get("next_before").asLong()));
        assertThat(next.get("items").findValues("id")).extracting(JsonNode::asLong).containsExactly(runs.get(0));
        assertThat(next.get("next_before").isNull()).isTrue();
        assertThat(serve.get("/api/runs?before=abc").body())
                .isEqualTo("{\"error\":\"before must be a run id (a whole number), got \\\"abc\\\"\"}");
    }

    @Test
    void aDashboardSignedInWithAWriteTokenMayWriteAndOneSignedInWithAReadTokenIsToldWhyNot() throws Exception {
        Tokens tokens = new Tokens(serve.store.installation(), new SecureRandom(), InstantSource.system());
        String writer = signIn(tokens.create("dash-writer", Scope.WRITE));
        String reader = signIn(tokens.create("dash-reader", Scope.READ));
        long queued = serve.store.queue().enqueue(new NewRun("other", other.url(), null, "main", null, null, null,
                Instant.now().plusSeconds(3600)));

        HttpResponse<String> denied = serve.post("/api/runs/" + queued + "/cancel", "{}", "Cookie", reader,
                Gate.DASHBOARD_HEADER, "1");
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.body()).isEqualTo("{\"error\":\"you signed in with the token dash-reader, which may only "
                + "read: sign in with a write token (the API token, or one made with hone token create --scope write) "
                + "to do this\"}");
        assertThat(serve.post("/api/runs/" + queued + "/cancel", "{}", "Cookie", writer).statusCode())
                .as("without the dashboard's header (a form of another site) a session never writes").isEqualTo(401);

        HttpResponse<String> cancelled = serve.post("/api/runs/" + queued + "/cancel", "{}", "Cookie", writer,
                Gate.DASHBOARD_HEADER, "1");
        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(202);
        RunRow row = serve.awaitRun(r -> r.id() == queued && !r.status().live(), 20);
        assertThat(row.cancelledBy()).isEqualTo("dash-writer");
    }

    @Test
    void aRunOfABranchHeadIsQueuedByItsName() throws Exception {
        HttpResponse<String> both = serve.post("/api/runs", "{\"project\": \"other\", \"commit\": \"" + commits.get(0)
                + "\", \"branch\": \"main\"}");
        assertThat(both.body()).isEqualTo("{\"error\":\"give either the commit or the branch to run, not both\"}");
        String head = other.write("main.py", "print('accuracy=0.6')\n").commit("Other, on a branch");
        other.push("feature");
        long id = JSON.readTree(serve.post("/api/runs", "{\"project\": \"other\", \"branch\": \"feature\"}").body())
                .get("id").asLong();
        RunRow run = serve.awaitRun(r -> r.id() == id && r.finishedAt() != null, 60);
        assertThat(run.branch()).isEqualTo("feature");
        assertThat(run.commit()).isEqualTo(head);
        assertThat(run.bestValue()).isEqualTo(0.6);
    }

    @Test
    void aPagesEventStreamTellsOfATrialEndAndAStatusChangeAsTheyHappen() throws Exception {
        long id = serve.store.createRun(new NewRun("events", null, null, null, null, null, null, Instant.now()));
        serve.store.saveTrial(id, Trial.running(1, Map.of("c", 1)), Instant.now(), null);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpClient http = HttpClient.newHttpClient();
        var response = http.sendAsync(HttpRequest.newBuilder(URI.create(serve.base + "/api/events?project=events"))
                .build(), HttpResponse.BodyHandlers.ofLines());
        Stream<String> body = response.get(10, TimeUnit.SECONDS).body();
        Thread reader = Thread.ofVirtual().start(() -> body.forEach(lines::add));
        try {
            assertThat(response.get().headers().firstValue("Content-Type").orElseThrow())
                    .startsWith("text/event-stream");
            awaitLine(lines, "event: ready");

            serve.store.saveTrial(id, Trial.succeeded(1, Map.of("c", 1), 0.5, List.of(), 10), Instant.now(), null);
            awaitLine(lines, "event: trial_end");
            assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("data: {\"run\":" + id + ",\"ended\":1}");

            serve.store.finishRun(id, RunStatus.TARGET_MISSED, 1, Instant.now());
            awaitLine(lines, "event: status");
            assertThat(lines.poll(10, TimeUnit.SECONDS))
                    .isEqualTo("data: {\"run\":" + id + ",\"status\":\"target_missed\"}");
        } finally {
            reader.interrupt();
            body.close();
        }
    }

    private static void awaitLine(BlockingQueue<String> lines, String wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (wanted.equals(line)) {
                return;
            }
            if (line != null) {
                seen.add(line);
            }
        }
        throw new AssertionError("no \"" + wanted + "\" within 10 s; the stream sent " + seen);
    }

    private String signIn(String token) {
        HttpResponse<String> in = serve.post("/login", "{\"token\": \"" + token + "\"}");
        assertThat(in.statusCode()).as(in.body()).isEqualTo(200);
        Matcher cookie = SESSION.matcher(in.headers().firstValue("Set-Cookie").orElseThrow());
        assertThat(cookie.matches()).isTrue();
        return "hone_session=" + cookie.group(1);
    }

    private HttpResponse<byte[]> bytes(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(serve.base + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Name → text of each file in a .tar.gz. */
    static Map<String, String> untar(byte[] tarGz) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        try (InputStream in = new GzipCompressorInputStream(new ByteArrayInputStream(tarGz));
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                if (e.isFile()) {
                    files.put(e.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return files;
    }
}
