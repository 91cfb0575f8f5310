package dev.hone.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hone.run.RunStatus;
import dev.hone.spec.ServerSpec;
import dev.hone.store.RunRow;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commits already on a repository's branches when {@code hone serve} first sees it: the head of each watched
 * branch is trained then, once (as Jenkins forces an initial build) — not again after a restart, nor when the
 * repository is added back after its removal — and not at all with {@code initial_run: false}.
 */
class InitialRunTest {

    private static final Pattern POLLS = Pattern.compile("hone_polls_total\\{outcome=\"ok\"} ([0-9.]+)");

    @TempDir
    Path tmp;

    @Test
    void theHeadOfEachWatchedBranchRunsWhenFirstSeenAndNotAgainAfterARestart() throws Exception {
        GitFixture repo = new GitFixture(tmp, "digits");
        String main = repo.write("main.py", "print('accuracy=0.91')\n").commit("Start");
        repo.push("main");
        repo.switchTo("release");
        String release = repo.write("main.py", "print('accuracy=0.92')\n").commit("Release");
        repo.push("release");
        repo.switchTo("experiment");
        repo.commit("Not watched");
        repo.push("experiment");
        List<ServerSpec.Repository> watched = List.of(Serve.polled(repo.url(), Duration.ofSeconds(1), "main",
                "release"));
        try (Serve serve = new Serve(tmp.resolve("data"), watched, QueuePolicy.of(2))) {
            RunRow first = serve.awaitFinished(main, 30);
            assertThat(first.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(first.branch()).isEqualTo("main");
            assertThat(first.message()).isEqualTo("Start");
            assertThat(first.author()).isEqualTo("Ana Dev <ana@example.com>");
            assertThat(serve.awaitFinished(release, 30).branch()).isEqualTo("release");
            assertThat(serve.store.runs(null, 10, 0)).as("the head of each watched branch, once").hasSize(2);
        }
        try (Serve again = new Serve(tmp.resolve("data"), watched, QueuePolicy.of(2))) {
            awaitPolls(again, 2);
            assertThat(again.store.runs(null, 10, 0)).as("after a restart the heads are not new").hasSize(2);
        }
    }

    @Test
    void withInitialRunFalseOnlyWhatIsPushedAfterRuns() throws Exception {
        GitFixture repo = new GitFixture(tmp, "digits");
        repo.write("main.py", "print('accuracy=0.91')\n").commit("Start");
        repo.push("main");
        try (Serve serve = new Serve(tmp.resolve("data"),
                List.of(Serve.polled(repo.url(), Duration.ofSeconds(1)).withInitialRun(false)), QueuePolicy.of(2))) {
            awaitPolls(serve, 2);
            assertThat(serve.store.installation().lastSeen(repo.url())).isPresent();
            assertThat(serve.store.runs(null, 10, 0)).as("initial_run: false: the heads are recorded, not run")
                    .isEmpty();

            String pushed = repo.write("main.py", "print('accuracy=0.93')\n").commit("Tune");
            repo.push("main");
            assertThat(serve.awaitFinished(pushed, 30).status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(serve.store.runs(null, 10, 0)).hasSize(1);
        }
    }

    @Test
    void aRepositoryAddedBackAfterItsRemovalDoesNotRunAHeadThatRan() throws Exception {
        GitFixture repo = new GitFixture(tmp, "digits");
        String head = repo.write("main.py", "print('accuracy=0.91')\n").commit("Start");
        repo.push("main");
        try (Serve serve = new Serve(tmp.resolve("data"), List.of(), QueuePolicy.of(2))) {
            long id = add(serve, repo.url());
            assertThat(serve.awaitFinished(head, 30).status()).as("first seen through the API: its head runs")
                    .isEqualTo(RunStatus.SUCCEEDED);
            HttpRequest.Builder delete = HttpRequest.newBuilder(URI.create(serve.base + "/api/repositories/" + id))
                    .DELETE().header("Authorization", "Bearer " + Serve.TOKEN);
            assertThat(serve.send(delete).statusCode()).isEqualTo(204);

            add(serve, repo.url());
            awaitPolls(serve, polls(serve) + 2);
            assertThat(serve.store.runs(null, 10, 0)).as("added back: the head that ran does not run again")
                    .hasSize(1);
        }
    }

    private static long add(Serve serve, String url) throws Exception {
        HttpResponse<String> added = serve.post("/api/repositories", "{\"url\": \"" + url + "\", \"poll\": \"1s\"}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        return new ObjectMapper().readTree(added.body()).get("id").asLong();
    }

    /** How many polls succeeded, as {@code /metrics} counts them. */
    private static int polls(Serve serve) {
        Matcher m = POLLS.matcher(serve.get("/metrics").body());
        return m.find() ? (int) Double.parseDouble(m.group(1)) : 0;
    }

    private static void awaitPolls(Serve serve, int count) {
        Serve.await(() -> polls(serve) >= count, 30, count + " successful polls; server output:\n" + serve.output());
    }
}
