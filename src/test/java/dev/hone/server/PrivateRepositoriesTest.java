package dev.hone.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hone.run.RunStatus;
import dev.hone.source.Signatures;
import dev.hone.spec.ServerSpec;
import dev.hone.spec.ServerSpec.Credentials;
import dev.hone.store.RunRow;
import dev.hone.testing.TestGitHttps;
import dev.hone.testing.TestSshd;
import dev.hone.testing.TestTls;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance: {@code hone serve} trains private repositories the way teams host them — over SSH with a deploy key
 * (a real OpenSSH sshd) and over HTTPS with a token and a private CA (a real smart-HTTP git server) — found by
 * polling and by a webhook whose clone_url or ssh_url names the configured URL of either kind; a failure shows in
 * the repository's status with what to do, until it is fixed.
 */
class PrivateRepositoriesTest {

    static final String SECRET = "hook-secret-19";
    static final String TOKEN = "tok-ci-bot-0019";

    @TempDir
    Path tmp;

    TestSshd sshd;
    TestGitHttps https;
    Path deployKey;
    Path knownHosts;
    Path ca;

    @BeforeEach
    void startServers() throws Exception {
        sshd = TestSshd.start(tmp.resolve("sshd"));
        deployKey = TestSshd.keygen(tmp.resolve("deploy_key"), "", "ed25519");
        sshd.authorize(deployKey);
        knownHosts = Files.writeString(tmp.resolve("known_hosts"), sshd.knownHostsLine());
        https = TestGitHttps.start(tmp);
        https.grant("ci-bot", TOKEN);
        ca = TestTls.get().writeCaPem(tmp.resolve("ca.pem"));
    }

    @AfterEach
    void stopServers() throws Exception {
        if (sshd != null) {
            sshd.close();
        }
        if (https != null) {
            https.close();
        }
    }

    ServerSpec.Repository overSsh(GitFixture repo, Duration poll, Path key) {
        return new ServerSpec.Repository(sshd.url(repo.bare), List.of("main"), poll, SECRET,
                new Credentials.SshKey(null, key, null, knownHosts));
    }

    ServerSpec.Repository overHttps(GitFixture repo, Duration poll) {
        return new ServerSpec.Repository(https.url(repo.bare), List.of("main"), poll, SECRET,
                new Credentials.Password("ci-bot", TOKEN), ca);
    }

    static GitFixture repository(Path root, String name) throws Exception {
        GitFixture repo = new GitFixture(root, name);
        repo.write("main.py", "print('accuracy=0.9')\n").commit("Start");
        repo.push("main");
        return repo;
    }

    @Test
    void aPushIsFetchedAndRunOverSshWithADeployKeyAndOverHttpsWithAToken() throws Exception {
        GitFixture digits = repository(tmp, "digits");
        GitFixture iris = repository(tmp, "iris");
        try (Serve serve = new Serve(tmp.resolve("data"), List.of(overSsh(digits, Duration.ofSeconds(1), deployKey),
                overHttps(iris, Duration.ofSeconds(1))), QueuePolicy.of(2))) {
            Serve.await(() -> serve.store.installation().lastSeen(sshd.url(digits.bare)).isPresent()
                    && serve.store.installation().lastSeen(https.url(iris.bare)).isPresent(), 30,
                    "the first polls; server output:\n" + serve.output());

            String overSsh = digits.write("main.py", "print('accuracy=0.93')\n").commit("Over ssh");
            digits.push("main");
            String overHttps = iris.write("main.py", "print('accuracy=0.94')\n").commit("Over https");
            iris.push("main");

            RunRow ssh = serve.awaitFinished(overSsh, 60);
            assertThat(ssh.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(ssh.bestValue()).isEqualTo(0.93);
            assertThat(ssh.source()).isEqualTo(sshd.url(digits.bare));
            assertThat(ssh.message()).isEqualTo("Over ssh");
            RunRow http = serve.awaitFinished(overHttps, 60);
            assertThat(http.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(http.bestValue()).isEqualTo(0.94);
            assertThat(http.source()).isEqualTo(https.url(iris.bare));
            assertThat(serve.output()).doesNotContain(TOKEN).doesNotContain("PRIVATE KEY");
            assertThat(serve.get("/api/repositories").body()).doesNotContain(TOKEN).doesNotContain(deployKey.toString())
                    .contains("\"status\":\"ok\"");
        }
    }

    @Test
    void aWebhooksCloneUrlOrSshUrlFindsTheRepositoryConfiguredWithTheOtherKind() throws Exception {
        GitFixture digits = repository(tmp, "digits");
        GitFixture iris = repository(tmp, "iris");
        try (Serve serve = new Serve(tmp.resolve("data"), List.of(overSsh(digits, Duration.ZERO, deployKey),
                overHttps(iris, Duration.ZERO)), QueuePolicy.of(2))) {
            String toDigits = digits.write("main.py", "print('accuracy=0.95')\n").commit("Hooked over ssh");
            digits.push("main");
            String toIris = iris.write("main.py", "print('accuracy=0.96')\n").commit("Hooked over https");
            iris.push("main");
            int fetchesBefore = https.uploads();

            // the server watches digits by its ssh URL and iris by its https URL; each payload names the other
            assertThat(push(serve, "clone_url", https.url(digits.bare), toDigits).statusCode()).isEqualTo(202);
            assertThat(push(serve, "ssh_url", sshd.user + "@127.0.0.1:" + iris.bare, toIris).statusCode())
                    .isEqualTo(202);

            RunRow ssh = serve.awaitFinished(toDigits, 60);
            assertThat(ssh.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(ssh.source()).as("fetched over the configured ssh URL").isEqualTo(sshd.url(digits.bare));
            RunRow http = serve.awaitFinished(toIris, 60);
            assertThat(http.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(http.source()).as("fetched over the configured https URL").isEqualTo(https.url(iris.bare));
            assertThat(https.uploads()).isGreaterThan(fetchesBefore);
        }
    }

    @Test
    void aRefusedDeployKeyShowsInTheRepositorysStatusUntilTheKeyIsAdded() throws Exception {
        GitFixture digits = repository(tmp, "digits");
        Path stranger = TestSshd.keygen(tmp.resolve("stranger"), "", "ed25519");
        String url = sshd.url(digits.bare);
        try (Serve serve = new Serve(tmp.resolve("data"), List.of(overSsh(digits, Duration.ofSeconds(1), stranger)),
                QueuePolicy.of(2))) {
            Serve.await(() -> !serve.store.installation().repositoryEvents(url, 1).isEmpty(), 30, "a failed poll");

            JsonNode repository = new ObjectMapper().readTree(serve.get("/api/repositories").body()).get(0);
            assertThat(repository.get("status").asText()).isEqualTo("failing");
            assertThat(repository.get("problem").asText()).isEqualTo("the server refused the deploy key for " + url
                    + ": is its public key (ssh-ed25519 " + TestSshd.fingerprint(Path.of(stranger + ".pub"))
                    + ") added to the repository as a deploy key?; trying again in 5s (then 10s, 20s, 40s, … up to "
                    + "10m apart while it fails)");

            sshd.authorize(stranger);
            Serve.await(() -> serve.server.watchlist().status(serve.server.watchlist().all().get(0)).state()
                    == RepositoryStatus.State.OK, 30, "the next poll after the backoff");
            assertThat(serve.store.installation().repositoryEvents(url, 1).get(0).message())
                    .isEqualTo(url + " can be reached again");
        }
    }

    /** A GitHub push delivery that names the repository by {@code field} ({@code clone_url}, {@code ssh_url}). */
    private HttpResponse<String> push(Serve serve, String field, String url, String sha) {
        String body = """
                {"ref": "refs/heads/main", "before": "%s", "after": "%s", "repository": {"%s": "%s"},
                 "head_commit": {"id": "%s", "message": "pushed", "author": {"name": "Ana Dev", "email": "ana@example.com"}}}
                """.formatted("0".repeat(40), sha, field, url, sha);
        String signature = "sha256=" + Signatures.hmacSha256Hex(SECRET, body.getBytes(StandardCharsets.UTF_8));
        return serve.post("/hooks/github", body, "X-GitHub-Event", "push", "X-Hub-Signature-256", signature);
    }
}
