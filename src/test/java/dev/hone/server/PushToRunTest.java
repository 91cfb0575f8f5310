package dev.hone.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.run.RunStatus;
import dev.hone.store.RunRow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Acceptance: a real bare repository, a clone, {@code git push} → the server runs that commit. */
class PushToRunTest {

    static final String TRAIN = "print('accuracy=0.91')\n";
    static final String SECRET = "s3cret-hook-key";

    @TempDir
    Path tmp;

    @Test
    void aPushIsRunOnceWhenPollingFindsIt() throws Exception {
        GitFixture repo = new GitFixture(tmp, "digits");
        String start = repo.write("main.py", TRAIN).commit("Start");
        repo.push("main");
        try (Serve serve = new Serve(tmp.resolve("data"), List.of(Serve.polled(repo.url(), Duration.ofSeconds(1))),
                QueuePolicy.of(2))) {
            assertThat(serve.awaitFinished(start, 30).status()).as("the first poll runs the head it finds")
                    .isEqualTo(RunStatus.SUCCEEDED);

            String sha = repo.write("main.py", "print('accuracy=0.93')\n").commit("Tune the model\n\nMore epochs.");
            repo.push("main");

            RunRow run = serve.awaitFinished(sha, 30);
            assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(run.project()).isEqualTo("digits");
            assertThat(run.branch()).isEqualTo("main");
            assertThat(run.author()).isEqualTo("Ana Dev <ana@example.com>");
            assertThat(run.message()).isEqualTo("Tune the model");
            assertThat(run.source()).isEqualTo(repo.url());
            assertThat(run.bestValue()).isEqualTo(0.93);
            Serve.await(() -> serve.store.installation().lastSeen(repo.url()).orElseThrow().get("main").equals(sha),
                    10, "the new head recorded");
            assertThat(serve.store.runs(null, 10, 0)).as("polled again and again, each head run once").hasSize(2);
        }
    }

    @Test
    void aPushIsRunThroughAPostReceiveHookThatPostsASignedGitHubPayload() throws Exception {
        GitFixture repo = new GitFixture(tmp, "digits");
        repo.write("main.py", TRAIN).commit("Start");
        repo.push("main");
        try (Serve serve = new Serve(tmp.resolve("data"), List.of(Serve.webhooks(repo.url(), SECRET)),
                QueuePolicy.of(2))) {
            repo.postReceiveHook(Hooks.githubPostReceive(serve.base + "/hooks/github", SECRET, repo.url(), null));

            String sha = repo.write("main.py", "print('accuracy=0.95')\n").commit("Webhook me");
            repo.push("main");

            RunRow run = serve.awaitFinished(sha, 30);
            assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(run.author()).isEqualTo("Ana Dev <ana@example.com>");
            assertThat(run.message()).isEqualTo("Webhook me");
            assertThat(run.bestValue()).isEqualTo(0.95);
            assertThat(serve.store.runs(null, 10, 0)).hasSize(1);
            assertThat(serve.get("/metrics").body())
                    .contains("hone_webhook_deliveries_total{outcome=\"queued\",provider=\"github\"} 1.0");
        }
    }

    @Test
    void pushesToABranchThatIsNotWatchedAndBranchDeletionsAreNotRun() throws Exception {
        GitFixture repo = new GitFixture(tmp, "digits");
        repo.write("main.py", TRAIN).commit("Start");
        repo.push("main");
        try (Serve serve = new Serve(tmp.resolve("data"), List.of(Serve.webhooks(repo.url(), SECRET, "main",
                "release/*")), QueuePolicy.of(2))) {
            repo.postReceiveHook(Hooks.githubPostReceive(serve.base + "/hooks/github", SECRET, repo.url(), null));
            repo.switchTo("experiment");
            repo.commit("Not watched");
            repo.push("experiment");
            String release = repo.commit("Release candidate");
            repo.push("release/1.0");
            RunRow run = serve.awaitFinished(release, 30);
            assertThat(run.branch()).isEqualTo("release/1.0");
            assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);

            repo.deleteBranch("release/1.0"); // returns once the hook has been answered
            assertThat(serve.store.installation().lastSeen(repo.url()).orElseThrow()).doesNotContainKey("release/1.0");
            assertThat(serve.store.runs(null, 10, 0)).as("only the watched branch's push").hasSize(1);
        }
    }
}
