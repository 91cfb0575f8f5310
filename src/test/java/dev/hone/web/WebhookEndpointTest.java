package dev.hone.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.server.QueuePolicy;
import dev.hone.server.Serve;
import dev.hone.source.Signatures;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /hooks/…} on a real server: what is queued, and every way a delivery is refused. */
class WebhookEndpointTest {

    static final String SECRET = "It's a Secret to Everybody";
    static final String URL = "http://127.0.0.1:9/acme/digits.git";
    static final String SHA = "5f1a0b2c3d4e5f60718293a4b5c6d7e8f9012345";

    @TempDir
    Path tmp;
    Serve serve;

    @BeforeEach
    void start() {
        serve = new Serve(tmp, List.of(Serve.webhooks(URL, SECRET), Serve.webhooks("http://127.0.0.1:9/acme/nokey.git",
                null)), QueuePolicy.of(1));
    }

    @AfterEach
    void stop() {
        serve.close();
    }

    static String push(String url, String ref, String after) {
        return """
                {"ref": "%s", "before": "0000000000000000000000000000000000000001", "after": "%s",
                 "repository": {"clone_url": "%s"},
                 "head_commit": {"id": "%s", "message": "m", "author": {"name": "A", "email": "a@x"}}}"""
                .formatted(ref, after, url, after);
    }

    HttpResponse<String> github(String body, String signature) {
        return signature == null
                ? serve.post("/hooks/github", body, "X-GitHub-Event", "push")
                : serve.post("/hooks/github", body, "X-GitHub-Event", "push", "X-Hub-Signature-256", signature);
    }

    /** Every unverified delivery gets this answer, for a watched repository or not. */
    static final String REFUSAL = "{\"error\":\"the delivery is not signed with the webhook secret Hone holds for the"
            + " repository it names (X-Hub-Signature-256: sha256=<HMAC-SHA256 of the body>): check that the webhook's"
            + " secret is that repository's webhook_secret in hone-server.yaml; hone serve's log says more\"}";

    static String sign(String body) {
        return "sha256=" + Signatures.hmacSha256Hex(SECRET, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aSignedPushIsQueuedBeforeTheAnswer() {
        String body = push(URL, "refs/heads/main", SHA);
        HttpResponse<String> answer = github(body, sign(body));

        assertThat(answer.statusCode()).isEqualTo(202);
        assertThat(answer.body()).startsWith("{\"status\":\"queued\",\"run\":1");
        assertThat(serve.store.run(1)).hasValueSatisfying(run -> {
            assertThat(run.commit()).isEqualTo(SHA);
            assertThat(run.branch()).isEqualTo("main");
            assertThat(run.author()).isEqualTo("A <a@x>");
        });
    }

    @Test
    void theSamePushDeliveredTwiceIsQueuedOnce() {
        String body = push(URL, "refs/heads/main", SHA);
        assertThat(github(body, sign(body)).body()).contains("\"queued\"");
        assertThat(github(body, sign(body)).body()).isEqualTo("{\"status\":\"ignored\",\"run\":null,\"reason\":"
                + "\"commit " + SHA + " of main is already queued or ran\"}");
        assertThat(serve.store.runs(null, 10, 0)).hasSize(1);
    }

    @Test
    void aWrongOrMissingSignatureIs401AndQueuesNothing() {
        String body = push(URL, "refs/heads/main", SHA);
        HttpResponse<String> wrong = github(body, sign(body).replace('a', 'b'));
        HttpResponse<String> missing = github(body, null);

        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).isEqualTo(REFUSAL);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.body()).isEqualTo(REFUSAL);
        assertThat(serve.store.runs(null, 10, 0)).isEmpty();
        assertThat(serve.get("/metrics").body())
                .contains("hone_webhook_deliveries_total{outcome=\"unauthorized\",provider=\"github\"} 2.0");
    }

    @Test
    void aRepositoryWithoutASecretAcceptsNoWebhook() {
        String body = push("http://127.0.0.1:9/acme/nokey.git", "refs/heads/main", SHA);
        HttpResponse<String> answer = github(body, sign(body));
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.body()).isEqualTo(REFUSAL);
        assertThat(serve.store.runs(null, 10, 0)).isEmpty();
    }

    @Test
    void anUnknownRepositorySignedWithAWatchedRepositorysSecretIs404AndQueuesNothing() {
        String body = push("http://127.0.0.1:9/acme/other.git", "refs/heads/main", SHA);
        HttpResponse<String> answer = github(body, sign(body));
        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(answer.body()).isEqualTo("{\"error\":\"no watched repository has any of the URLs "
                + "[http://127.0.0.1:9/acme/other.git]: add it to hone-server.yaml or with hone repo add\"}");
        assertThat(serve.store.runs(null, 10, 0)).isEmpty();
        assertThat(serve.get("/metrics").body())
                .contains("hone_webhook_deliveries_total{outcome=\"unknown_repository\",provider=\"github\"} 1.0");
    }

    @Test
    void anUnsignedOrWronglySignedPushForAnUnknownRepositoryIs401AndRevealsNoWatchedRepository() {
        String body = push("http://127.0.0.1:9/acme/other.git", "refs/heads/main", SHA);
        HttpResponse<String> unsigned = github(body, null);
        HttpResponse<String> wrong = github(body, "sha256=" + Signatures.hmacSha256Hex("guessed",
                body.getBytes(StandardCharsets.UTF_8)));

        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(unsigned.body()).as("the same answer as for a watched repository").isEqualTo(REFUSAL);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).isEqualTo(REFUSAL);
        assertThat(serve.store.runs(null, 10, 0)).isEmpty();
        assertThat(serve.get("/metrics").body())
                .contains("hone_webhook_deliveries_total{outcome=\"unauthorized\",provider=\"github\"} 2.0")
                .doesNotContain("outcome=\"unknown_repository\"");
    }

    @Test
    void anOversizedPayloadIs413() {
        String body = "{\"pad\": \"" + "x".repeat(Requests.MAX_BODY) + "\"}";
        HttpResponse<String> answer = github(body, sign(body));
        assertThat(answer.statusCode()).isEqualTo(413);
        assertThat(answer.body()).startsWith("{\"error\":\"the request body is larger than 1024 KiB");
        assertThat(serve.store.runs(null, 10, 0)).isEmpty();
    }

    @Test
    void malformedJsonIs400() {
        HttpResponse<String> answer = github("{\"ref\": ", sign("{\"ref\": "));
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).startsWith("{\"error\":\"the payload is not valid JSON: ");
    }

    @Test
    void aPushThatDeletesABranchIsIgnored() {
        String body = push(URL, "refs/heads/main", "0000000000000000000000000000000000000000");
        HttpResponse<String> answer = github(body, sign(body));
        assertThat(answer.statusCode()).isEqualTo(202);
        assertThat(answer.body()).isEqualTo("{\"status\":\"ignored\",\"run\":null,\"reason\":\"branch main was "
                + "deleted\"}");
        assertThat(serve.store.runs(null, 10, 0)).isEmpty();
    }

    @Test
    void aPingIsAnswered() {
        String body = "{\"zen\": \"Design for failure.\", \"repository\": {\"clone_url\": \"" + URL + "\"}}";
        HttpResponse<String> answer = serve.post("/hooks/github", body, "X-GitHub-Event", "ping",
                "X-Hub-Signature-256", sign(body));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"status\":\"pong\",\"run\":null,\"reason\":null}");
    }

    @Test
    void gitLabGiteaAndGenericHooksQueueToo() {
        String gitlab = """
                {"object_kind": "push", "ref": "refs/heads/main", "before": "0", "after": "%s",
                 "project": {"git_ssh_url": "ssh://git@127.0.0.1:9/acme/digits.git"}, "commits": []}""".formatted(SHA);
        assertThat(serve.post("/hooks/gitlab", gitlab, "X-Gitlab-Token", SECRET).statusCode()).isEqualTo(202);
        String gitea = push(URL, "refs/heads/main", SHA.replace('5', '6'));
        assertThat(serve.post("/hooks/gitea", gitea, "X-Gitea-Event", "push", "X-Gitea-Signature",
                sign(gitea).substring(7)).statusCode()).isEqualTo(202);
        String generic = "{\"repository\": \"" + URL + "\", \"branch\": \"main\", \"commit\": \""
                + SHA.replace('5', '7') + "\"}";
        assertThat(serve.post("/hooks/generic", generic, "X-Hone-Signature-256", sign(generic)).statusCode())
                .isEqualTo(202);
        assertThat(serve.store.runs(null, 10, 0)).hasSize(3);
    }

    @Test
    void gitHubsDefaultFormEncodedDeliveryIsQueuedWithTheSignatureOverTheRawBody() {
        String form = "payload=" + URLEncoder.encode(push(URL, "refs/heads/main", SHA), StandardCharsets.UTF_8);
        HttpResponse<String> answer = serve.send(HttpRequest.newBuilder(URI.create(serve.base + "/hooks/github"))
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-GitHub-Event", "push").header("X-Hub-Signature-256", sign(form)));

        assertThat(answer.statusCode()).isEqualTo(202);
        assertThat(answer.body()).startsWith("{\"status\":\"queued\",\"run\":1");
        assertThat(serve.store.run(1)).hasValueSatisfying(run -> assertThat(run.commit()).isEqualTo(SHA));
    }

    @Test
    void anAfterThatIsNotACommitIdIs400AndQueuesNothing() {
        String body = push(URL, "refs/heads/main", "main");
        HttpResponse<String> answer = github(body, sign(body));

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).isEqualTo("{\"error\":\"the payload's \\\"after\\\" must be a commit id (40 or 64 "
                + "hexadecimal characters), got \\\"main\\\"\"}");
        assertThat(serve.store.runs(null, 10, 0)).isEmpty();
    }
}
