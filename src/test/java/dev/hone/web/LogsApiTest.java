package dev.hone.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.run.RunStatus;
import dev.hone.server.QueuePolicy;
import dev.hone.server.Serve;
import dev.hone.store.NewRun;
import dev.hone.tune.Trial;
import dev.hone.tune.TrialState;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.time.InstantSource;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/runs/{id}/logs}: a running run's log streamed (one follower per log, lines cut at \r and at the
 * longest line, a cap on streams), an ended run's log as text by range or by its last lines. The runs are made in the
 * store and their logs written by the test, so each step is exact.
 */
class LogsApiTest {

    @TempDir
    Path tmp;
    Serve serve;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        serve = new Serve(tmp.resolve("data"), List.of(), QueuePolicy.of(1));
    }

    @AfterEach
    void stop() {
        serve.close();
    }

    /** A run in the store, running, whose trial 1 has {@code log} as its log. */
    long runningRunWithLog(String log) throws IOException {
        long id = serve.store.createRun(new NewRun("logs", tmp.toString(), null, null, null, null, null,
                Instant.now()));
        Path file = serve.data.resolve("runs/" + id + "/trials/1/train.log");
        Files.createDirectories(file.getParent());
        Files.writeString(file, log, StandardCharsets.UTF_8);
        serve.store.saveTrial(id, new Trial(1, Map.of(), TrialState.RUNNING, null, List.of(), null, 0, null, ""),
                Instant.now(), file.toString());
        return id;
    }

    void end(long id) {
        serve.store.finishRun(id, RunStatus.SUCCEEDED, null, Instant.now());
    }

    /** An open stream, past its first comment (so the server holds its subscription). */
    Iterator<String> open(String path) throws Exception {
        HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(URI.create(serve.base + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        Iterator<String> lines = response.body().iterator();
        assertThat(lines.next()).isEqualTo(": streaming the log as the trial writes it");
        assertThat(lines.next()).isEmpty();
        return lines;
    }

    /**
     * The data of every event until the end event (the run's or the trial's), whose data is last, after "end:" or
     * "trial_end:".
     */
    static List<String> untilEnd(Iterator<String> lines) {
        List<String> data = new ArrayList<>();
        String end = null;
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.equals("event: end") || line.equals("event: trial_end")) {
                end = line.substring("event: ".length()) + ":";
            } else if (line.startsWith("data: ")) {
                data.add((end != null ? end : "") + line.substring("data: ".length()));
                if (end != null) {
                    return data;
                }
            }
        }
        throw new AssertionError("the stream closed without an end event: " + data);
    }

    HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(serve.base + path));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return serve.send(request);
    }

    @Test
    void aLiveLogIsCutIntoLinesAtCarriageReturnsAndAtTheLongestLine() throws Exception {
        long id = runningRunWithLog("10%\r20%\r30%\r\n" + "x".repeat(200_000) + "\nlast\n");
        Iterator<String> stream = open("/api/runs/" + id + "/logs?trial=1");
        end(id);

        assertThat(untilEnd(stream)).containsExactly("10%", "20%", "30%", "x".repeat(65_536), "x".repeat(65_536),
                "x".repeat(65_536), "x".repeat(200_000 - 3 * 65_536), "last", "end:succeeded");
    }

    @Test
    void aStreamEndsWhenItsTrialEndsThoughTheRunGoesOn() throws Exception {
        long id = runningRunWithLog("epoch=1\n");
        Iterator<String> stream = open("/api/runs/" + id + "/logs?trial=1");
        Path log = serve.data.resolve("runs/" + id + "/trials/1/train.log");
        Files.writeString(log, "accuracy=0.9\n", StandardOpenOption.APPEND);
        serve.store.saveTrial(id, new Trial(1, Map.of(), TrialState.SUCCEEDED, 0.9, List.of(), 0, 10, null, ""),
                Instant.now(), log.toString());

        assertThat(untilEnd(stream)).containsExactly("epoch=1", "accuracy=0.9", "trial_end:succeeded");
        assertThat(serve.store.run(id).orElseThrow().status().live()).as("the run goes on").isTrue();
    }

    @Test
    void aLiveStreamStartsWithTheLastLinesAskedForAndGoesOnWithWhatIsWritten() throws Exception {
        long id = runningRunWithLog("one\ntwo\nthree\nfour\n");
        Iterator<String> stream = open("/api/runs/" + id + "/logs?trial=1&tail=2");
        Files.writeString(serve.data.resolve("runs/" + id + "/trials/1/train.log"), "five\n",
                StandardOpenOption.APPEND);
        assertThat(stream.next()).isEqualTo("data: three");
        assertThat(stream.next()).isEmpty();
        assertThat(stream.next()).isEqualTo("data: four");
        assertThat(stream.next()).isEmpty();
        assertThat(stream.next()).as("written after the stream opened").isEqualTo("data: five");
        end(id);

        assertThat(untilEnd(stream)).containsExactly("end:succeeded");
    }

    @Test
    void aRunPagesOneEventStreamCarriesTheLogOfTheTrialItShows() throws Exception {
        long id = runningRunWithLog("one\ntwo\nthree\n");
        HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(URI.create(serve.base
                + "/api/events?run=" + id + "&trial=1&tail=2")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        Iterator<String> stream = response.body().iterator();
        List<String> events = new ArrayList<>();
        while (events.size() < 4) {
            String line = stream.next();
            if (!line.isEmpty() && !line.startsWith(":")) {
                events.add(line);
            }
        }
        assertThat(events).containsExactly("event: ready", "data: {}", "event: log_open", "data: {\"trial\":1}");
        Path log = serve.data.resolve("runs/" + id + "/trials/1/train.log");
        Files.writeString(log, "four\n", StandardOpenOption.APPEND);
        events.clear();
        while (events.size() < 6) {
            String line = stream.next();
            if (!line.isEmpty() && !line.startsWith(":")) {
                events.add(line);
            }
        }
        assertThat(events).as("its last 2 lines, then what is written").containsExactly("event: log", "data: two",
                "event: log", "data: three", "event: log", "data: four");
        serve.store.saveTrial(id, new Trial(1, Map.of(), TrialState.SUCCEEDED, 0.9, List.of(), 0, 10, null, ""),
                Instant.now(), log.toString());
        events.clear();
        String ending = null;
        while (ending == null || !events.contains("event: trial_end")) { // the page's own events on the same stream
            String line = stream.next();
            if (line.startsWith("event: ")) {
                events.add(line);
            }
            if (line.equals("event: log_end")) {
                ending = stream.next();
            }
        }
        assertThat(ending).isEqualTo("data: The trial ended: succeeded.");
    }

    @Test
    void aTrialOfTheEventStreamIsANumberWithARun() {
        HttpResponse<String> wrong = get("/api/events?trial=1");
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.body()).isEqualTo("{\"error\":\"trial=1: give a trial's number (from 1) with the run, as "
                + "/api/events?run=ID&trial=N\"}");
    }

    @Test
    void everyStreamOfALogIsFedByOneFollower() throws Exception {
        long id = runningRunWithLog("epoch=1\n");
        List<Iterator<String>> streams = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            streams.add(open("/api/runs/" + id + "/logs?trial=1"));
        }

        String metrics = get("/metrics").body();
        assertThat(metrics).contains("hone_log_streams 3.0", "hone_log_followed 1.0");
        end(id);
        for (Iterator<String> stream : streams) {
            assertThat(untilEnd(stream)).containsExactly("epoch=1", "end:succeeded");
        }
    }

    @Test
    void refusesAStreamPastTheCapWith429() throws Exception {
        long id = runningRunWithLog("epoch=1\n");
        WebServer capped = new WebServer(serve.server, Map.of(), InstantSource.system(), 2).start("127.0.0.1", 0);
        try {
            String base = "http://127.0.0.1:" + capped.port();
            List<Iterator<String>> open = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                HttpResponse<Stream<String>> ok = http.send(HttpRequest.newBuilder(URI.create(base
                        + "/api/runs/" + id + "/logs?trial=1")).build(), HttpResponse.BodyHandlers.ofLines());
                open.add(ok.body().iterator());
                assertThat(open.getLast().next()).startsWith(": streaming");
            }

            HttpResponse<String> refused = serve.send(HttpRequest.newBuilder(URI.create(base + "/api/runs/" + id
                    + "/logs?trial=1")));
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("10");
            assertThat(refused.body()).isEqualTo("{\"error\":\"too many live log streams are open (at most 2 at "
                    + "once): close one or try again later; an ended run's log is read as text (with tail=N or a "
                    + "Range)\"}");
        } finally {
            capped.stop();
        }
    }

    @Test
    void anEndedRunsLogIsTextWholeByRangeOrByItsLastLines() throws Exception {
        long id = runningRunWithLog("one\ntwo\nthree\n");
        end(id);
        String log = "/api/runs/" + id + "/logs?trial=1";

        HttpResponse<String> whole = get(log);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo("one\ntwo\nthree\n");
        assertThat(whole.headers().firstValue("Content-Length")).hasValue("14");
        assertThat(whole.headers().firstValue("Accept-Ranges")).hasValue("bytes");

        HttpResponse<String> middle = get(log, "Range", "bytes=4-6");
        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(middle.body()).isEqualTo("two");
        assertThat(middle.headers().firstValue("Content-Range")).hasValue("bytes 4-6/14");
        assertThat(get(log, "Range", "bytes=-6").body()).isEqualTo("three\n");
        assertThat(get(log, "Range", "bytes=4-").body()).isEqualTo("two\nthree\n");
        HttpResponse<String> outside = get(log, "Range", "bytes=14-");
        assertThat(outside.statusCode()).isEqualTo(416);
        assertThat(outside.headers().firstValue("Content-Range")).hasValue("bytes */14");
        assertThat(outside.body()).isEqualTo("{\"error\":\"the log has 14 bytes: the range bytes=14- is not in it\"}");

        assertThat(get(log + "&tail=2").body()).isEqualTo("two\nthree\n");
        assertThat(get(log + "&tail=9").body()).isEqualTo("one\ntwo\nthree\n");
        assertThat(get(log + "&tail=0").body())
                .isEqualTo("{\"error\":\"tail must be between 1 and 1000000 lines, got 0\"}");
    }

    @Test
    void aLiveLogIsReadByRangeToo() throws Exception {
        long id = runningRunWithLog("one\ntwo\n");

        HttpResponse<String> part = get("/api/runs/" + id + "/logs?trial=1", "Range", "bytes=4-");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).isEqualTo("two\n");
    }
}
