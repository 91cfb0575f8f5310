package dev.hone.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hone.run.RunStatus;
import dev.hone.store.EventRow;
import dev.hone.store.RunRow;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
        try (Serve serve = serving(repo)) {
            String invalid = repo.write("hone.yaml", "metric:\n  direction: sideways\n").commit("Break the config");
            repo.push("main");
            RunRow run = serve.awaitFinished(invalid, 30);
            assertThat(run.status()).isEqualTo(RunStatus.INVALID_CONFIG);
            assertThat(serve.get("/api/runs/" + run.id()).body())
                    .contains("\"status\":\"invalid_config\"")
                    .contains("\"problems\":[\"hone.yaml:2:")
                    .contains("metric.direction");

            String zeroConfig = repo.delete("hone.yaml").commit("No config at all");
            repo.push("main");
            RunRow next = serve.awaitFinished(zeroConfig, 30);
            assertThat(next.status()).as("zero configuration: main.py, accuracy").isEqualTo(RunStatus.SUCCEEDED);
            assertThat(next.bestValue()).isEqualTo(0.9);
        }
    }

    @Test
    void aHoneYamlThatIsNotUtf8OrADirectoryOrALinkOutEndsInvalidConfigSayingSo() throws Exception {
        Path host = Files.writeString(tmp.resolve("hone-server.yaml"), "api_token: tok-host-only-3e1f\n");
        GitFixture repo = new GitFixture(tmp, "digits");
        try (Serve serve = serving(repo)) {
            Files.write(repo.work.resolve("hone.yaml"), "name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
            String latin1 = repo.commit("Latin-1");
            repo.push("main");
            assertThat(problems(serve, latin1)).isEqualTo("[\"hone.yaml: is not UTF-8 text — save it as UTF-8\"]");

            repo.delete("hone.yaml").write("hone.yaml/README", "a directory\n");
            String directory = repo.commit("A directory");
            repo.push("main");
            assertThat(problems(serve, directory)).isEqualTo("[\"hone.yaml: is a directory, not a file — make it a "
                    + "file, or rename the directory\"]");

            repo.git(repo.work, "rm", "-r", "--quiet", "hone.yaml");
            Files.createSymbolicLink(repo.work.resolve("hone.yaml"), host);
            String link = repo.commit("A link to the server's own file");
            repo.push("main");
            String body = serve.get("/api/runs/" + serve.awaitFinished(link, 30).id()).body();
            assertThat(problems(serve, link)).isEqualTo("[\"hone.yaml: leads out of the checkout through a symbolic "
                    + "link (hone.yaml -> " + host + "): Hone reads only files inside the checkout — put the file "
                    + "itself there, not a link to it\"]");
            assertThat(body).doesNotContain("tok-host-only-3e1f").doesNotContain("api_token");
        }
    }

    @Test
    void twoWatchedRepositoriesCannotClaimOneProjectName() throws Exception {
        GitFixture first = new GitFixture(tmp.resolve("acme"), "digits");
        GitFixture second = new GitFixture(tmp.resolve("fork"), "digits");
        try (Serve serve = new Serve(tmp.resolve("data"), List.of(Serve.webhooks(first.url(), SECRET),
                Serve.webhooks(second.url(), SECRET)), QueuePolicy.of(1))) {
            for (GitFixture repo : List.of(first, second)) {
                repo.postReceiveHook(Hooks.githubPostReceive(serve.base + "/hooks/github", SECRET, repo.url(), null));
            }
            String original = first.write("main.py", "print('accuracy=0.9')\n").commit("Train");
            first.push("main");
            assertThat(serve.awaitFinished(original, 30).project()).isEqualTo("digits");

            String copy = second.write("main.py", "print('accuracy=0.1')\n").commit("Train too");
            second.push("main");
            assertThat(problems(serve, copy)).isEqualTo("[\"hone.yaml: name: project \\\"digits\\\" is the project of "
                    + first.url() + ", another watched repository: give this repository's project a name of its own "
                    + "(name: in hone.yaml)\"]");
            assertThat(serve.data.resolve("projects/digits/model")).as("the first repository's model stays")
                    .isDirectory();

            String named = second.write("hone.yaml", "name: digits-fork\n").commit("A name of its own");
            second.push("main");
            RunRow run = serve.awaitFinished(named, 30);
            assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(run.project()).isEqualTo("digits-fork");
            String again = first.write("main.py", "print('accuracy=0.95')\n").commit("Again");
            first.push("main");
            assertThat(serve.awaitFinished(again, 30).status()).as("the owner still runs").isEqualTo(RunStatus.SUCCEEDED);
        }
    }

    /** A server watching {@code repo} (its main.py prints accuracy=0.9), each push to main delivered as a webhook. */
    private Serve serving(GitFixture repo) throws Exception {
        repo.write("main.py", "print('accuracy=0.9')\n").commit("Start");
        repo.push("main");
        Serve serve = new Serve(tmp.resolve("data"), List.of(Serve.webhooks(repo.url(), SECRET)), QueuePolicy.of(2));
        repo.postReceiveHook(Hooks.githubPostReceive(serve.base + "/hooks/github", SECRET, repo.url(), null));
        return serve;
    }

    /** The problems the API gives for the run of {@code commit}, once it ended {@code invalid_config}. */
    private static String problems(Serve serve, String commit) throws Exception {
        RunRow run = serve.awaitFinished(commit, 30);
        assertThat(run.status()).isEqualTo(RunStatus.INVALID_CONFIG);
        JsonNode body = new ObjectMapper().readTree(serve.get("/api/runs/" + run.id()).body());
        return body.get("problems").toString();
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
            assertThat(event.message()).isEqualTo("cannot list the branches of " + gone + ": it does not exist or "
                    + "is not a git repository; trying again in 5s (then 10s, 20s, 40s, … up to 10m apart while it "
                    + "fails)");
            Serve.await(() -> serve.store.installation().lastSeen(repo.url()).isPresent(), 20, "the first poll");

            String sha = repo.write("main.py", "print('accuracy=0.95')\n").commit("Still runs");
            repo.push("main");
            assertThat(serve.awaitFinished(sha, 30).status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(serve.get("/api/repositories").body()).contains("\"type\":\"unreachable\"")
                    .contains("\"status\":\"failing\",\"problem\":\"cannot list the branches of " + gone);
            assertThat(serve.get("/metrics").body()).contains("hone_polls_total{outcome=\"failed\"}");
        }
    }
}
