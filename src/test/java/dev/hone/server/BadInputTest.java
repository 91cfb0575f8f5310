package dev.hone.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.store.EventRow;
import dev.hone.store.RunRow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commits and repositories that cannot run stop neither the server nor the other runs. */
class BadInputTest {

    static final String SECRET = "bad-input-secret";

    @TempDir
    Path tmp;

    @Test
    void aCommitWithAnInvalidHoneYamlEndsInvalidConfigWithItsProblemsAndTheNextPushRuns() throws Exception {
        GitFixture repo = new GitFixture(tmp, "digits");
        repo.write("main.py", "print('accuracy=0.9')\n").commit("Start");
        repo.push("main");
        try (Serve serve = new Serve(tmp.resolve("data"), List.of(Serve.webhooks(repo.url(), SECRET)),
                QueuePolicy.of(2))) {
            repo.postReceiveHook(Hooks.githubPostReceive(serve.base + "/hooks/github", SECRET, repo.url(), null));
            String invalid = repo.write("hone.yaml", "metric:\n  direction: sideways\n").commit("Break the config");
            repo.push("main");
            RunRow run = serve.awaitFinished(invalid, 30);
            assertThat(run.status()).isEqualTo("invalid_config");
            assertThat(serve.get("/api/runs/" + run.id()).body())
                    .contains("\"status\":\"invalid_config\"")
                    .contains("\"problems\":[\"hone.yaml:2:")
                    .contains("metric.direction");

            String zeroConfig = repo.delete("hone.yaml").commit("No config at all");
            repo.push("main");
            RunRow next = serve.awaitFinished(zeroConfig, 30);
            assertThat(next.status()).as("zero configuration: main.py, accuracy").isEqualTo("succeeded");
            assertThat(next.bestValue()).isEqualTo(0.9);
        }
    }

    @Test
    void aRepositoryThatCannotBeReachedGetsEventsAndBackoffWhileOthersRun() throws Exception {
        GitFixture repo = new GitFixture(tmp, "digits");
        repo.write("main.py", "print('accuracy=0.9')\n").commit("Start");
        repo.push("main");
        String gone = tmp.resolve("gone.git").toString();
        try (Serve serve = new Serve(tmp.resolve("data"), List.of(Serve.polled(gone, Duration.ofSeconds(1)),
                Serve.polled(repo.url(), Duration.ofSeconds(1))), QueuePolicy.of(2))) {
            Serve.await(() -> !serve.store.installation().repositoryEvents(gone, 10).isEmpty(), 20,
                    "an event for the unreachable repository");
            EventRow event = serve.store.installation().repositoryEvents(gone, 10).get(0);
            assertThat(event.type()).isEqualTo("unreachable");
            assertThat(event.message()).startsWith("cannot list the branches of " + gone + ": ")
                    .endsWith("; trying again in 5s");
            Serve.await(() -> serve.store.installation().lastSeen(repo.url()).isPresent(), 20, "the first poll");

            String sha = repo.write("main.py", "print('accuracy=0.95')\n").commit("Still runs");
            repo.push("main");
            assertThat(serve.awaitFinished(sha, 30).status()).isEqualTo("succeeded");
            assertThat(serve.get("/api/repositories").body()).contains("\"type\":\"unreachable\"");
            assertThat(serve.get("/metrics").body()).contains("hone_polls_total{outcome=\"failed\"}");
        }
    }
}
