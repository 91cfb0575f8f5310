package dev.hone.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hone.testing.Ports;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Slack, the signed webhook and commit statuses against a real local HTTP server. */
class WebChannelsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SLACK_PATH = "/services/T0001/B0001/XXXXsecretXXXX";

    Receiver receiver;
    Http http = new Http(Duration.ofSeconds(5), Duration.ofSeconds(10));

    @BeforeEach
    void start() throws Exception {
        receiver = new Receiver();
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    static JsonNode json(Receiver.Request request) throws Exception {
        return JSON.readTree(request.bytes());
    }

    /** The receiver's side: GitHub's recipe for checking X-Hub-Signature-256, with Hone's header. */
    static boolean verifies(String secret, Receiver.Request request) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(request.bytes()));
        String given = request.header("X-Hone-Signature-256");
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }

    @Nested
    class Slack {
        @Test
        void thePayloadHasTheOutcomeAsTextAndTheKeyFiguresAsBlocks() throws Exception {
            String detail = new SlackNotifier(receiver.url(SLACK_PATH), http)
                    .send(Events.notice(Events.targetReached()));

            Receiver.Request request = receiver.next();
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.rawPath()).isEqualTo(SLACK_PATH);
            assertThat(request.header("Content-Type")).startsWith("application/json");
            JsonNode payload = json(request);
            assertThat(payload.get("text").asText())
                    .isEqualTo("digits: accuracy 0.963 ≥ 0.96 after 5 trials https://hone.example.com/runs/7");
            JsonNode blocks = payload.get("blocks");
            assertThat(blocks.get(0).at("/text/text").asText())
                    .isEqualTo("*digits: accuracy 0.963 ≥ 0.96 after 5 trials*");
            assertThat(blocks.get(1).get("fields")).extracting(field -> field.get("text").asText()).containsExactly(
                    "*accuracy*\n0.963", "*Target*\n≥ 0.96", "*Trials*\n5", "*Best trial*\n4",
                    "*Parameters*\nC=3.2, kernel=rbf", "*Duration*\n1m35s", "*Commit*\na1b2c3d4e5f6",
                    "*Author*\nAna Lima &lt;ana@example.com&gt;");
            assertThat(blocks.get(2).get("type").asText()).isEqualTo("context");
            assertThat(blocks.get(2).at("/elements/0/text").asText())
                    .isEqualTo("<https://hone.example.com/runs/7|Open the run in Hone>");
            assertThat(detail).isEqualTo("posted to Slack");
        }

        @Test
        void aFailureShowsTheLogTailAsCode() throws Exception {
            new SlackNotifier(receiver.url(SLACK_PATH), http).send(Events.notice(Events.trainingFailed()));

            JsonNode blocks = json(receiver.next()).get("blocks");
            assertThat(blocks.get(2).at("/text/text").asText()).startsWith("*Last log lines*\n```Traceback")
                    .contains("File \"main.py\", line 12, in &lt;module&gt;").endsWith("dtype('float64').```");
        }

        @Test
        void aServerErrorMayPassLaterAndTheErrorHidesTheUrl() {
            receiver.answer(500, "internal_error");
            SlackNotifier slack = new SlackNotifier(receiver.url(SLACK_PATH), http);

            assertThatThrownBy(() -> slack.send(Events.notice(Events.targetReached())))
                    .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retryable()).isTrue())
                    .hasMessage("Slack answered HTTP 500 at " + receiver.url("/…") + ": internal_error");
        }

        @Test
        void aRemovedWebhookFailsForGood() {
            receiver.answer(404, "no_service");
            SlackNotifier slack = new SlackNotifier(receiver.url(SLACK_PATH), http);

            assertThatThrownBy(() -> slack.send(Events.notice(Events.targetReached())))
                    .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retryable()).isFalse())
                    .hasMessage("Slack answered HTTP 404 at " + receiver.url("/…") + ": no_service");
        }

        @Test
        void anUnreachableWebhookMayAnswerLater() throws Exception {
            int closed = Ports.free();
            SlackNotifier slack = new SlackNotifier("http://127.0.0.1:" + closed + SLACK_PATH, http);

            assertThatThrownBy(() -> slack.send(Events.notice(Events.targetReached())))
                    .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retryable()).isTrue())
                    .hasMessage("cannot reach Slack at http://127.0.0.1:" + closed + "/…: connection refused");
        }

        @Test
        void twoUrlsAreTwoRoutesThatShowNeitherUrl() {
            String route = new SlackNotifier(receiver.url(SLACK_PATH), http).route();

            assertThat(route).matches("slack\\.[0-9a-f]{10}").doesNotContain("secret")
                    .isNotEqualTo(new SlackNotifier(receiver.url("/other"), http).route());
        }
    }

    @Nested
    class Webhook {
        @Test
        void theReceiverVerifiesTheSignature() throws Exception {
            new WebhookNotifier(receiver.url("/hooks/hone"), "hook-s3cret", http)
                    .send(Events.notice(Events.targetReached()));

            Receiver.Request request = receiver.next();
            assertThat(verifies("hook-s3cret", request)).isTrue();
            assertThat(verifies("another secret", request)).isFalse();
            assertThat(request.header("X-Hone-Event")).isEqualTo("target_reached");
            assertThat(request.header("X-Hone-Delivery")).isEqualTo("hone-run7-target_reached-test");
        }

        @Test
        void theBodySaysWhatHappenedWithTheFiguresInDetails() throws Exception {
            new WebhookNotifier(receiver.url("/hooks/hone"), "hook-s3cret", http)
                    .send(Events.notice(Events.targetReached()));

            JsonNode body = json(receiver.next());
            assertThat(body.get("event").asText()).isEqualTo("target_reached");
            assertThat(body.get("delivery").asText()).isEqualTo("hone-run7-target_reached-test");
            assertThat(body.get("project").asText()).isEqualTo("digits");
            assertThat(body.get("commit").asText()).isEqualTo(Events.SHA);
            assertThat(body.get("run").asLong()).isEqualTo(7);
            assertThat(body.get("link").asText()).isEqualTo("https://hone.example.com/runs/7");
            assertThat(body.get("message").asText()).isEqualTo("digits: accuracy 0.963 ≥ 0.96 after 5 trials");
            JsonNode details = body.get("details");
            assertThat(details.get("direction").asText()).isEqualTo("maximize");
            assertThat(details.get("value").asDouble()).isEqualTo(0.963);
            assertThat(details.get("target").asDouble()).isEqualTo(0.96);
            assertThat(details.get("trials").asInt()).isEqualTo(5);
            assertThat(details.get("best_trial").asInt()).isEqualTo(4);
            assertThat(details.get("params").toString()).isEqualTo("{\"C\":3.2,\"kernel\":\"rbf\"}");
            assertThat(details.has("origin")).isFalse();
        }

        @Test
        void withoutASecretItIsNotSigned() throws Exception {
            String detail = new WebhookNotifier(receiver.url("/hooks/hone"), null, http)
                    .send(Events.notice(Events.trainingFailed()));

            assertThat(receiver.next().header("X-Hone-Signature-256")).isNull();
            assertThat(detail).isEqualTo("posted to the webhook (unsigned)");
        }

        @Test
        void aWebhookThatHangsFailsTheAttemptWhenTheWaitEnds() {
            receiver.hang();
            WebhookNotifier hook = new WebhookNotifier(receiver.url("/hooks/hone"), "s",
                    new Http(Duration.ofSeconds(5), Duration.ofMillis(200)));

            assertThatThrownBy(() -> hook.send(Events.notice(Events.targetReached())))
                    .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retryable()).isTrue())
                    .hasMessage("no answer from the webhook at " + receiver.url("/…") + " within 200ms");
        }
    }

    @Nested
    class GitHubStatuses {
        GitHubStatusNotifier github() {
            return new GitHubStatusNotifier("ghp_token", receiver.url(""), http);
        }

        Event.Origin onThisForge() {
            return new Event.Origin("digits", Events.SHA, "Ana", "ana@example.com",
                    "git@127.0.0.1:acme/digits.git");
        }

        @Test
        void theStatusRequestHasGitHubsShape() throws Exception {
            String detail = github().send(Events.notice(Events.targetReached(onThisForge())));

            Receiver.Request request = receiver.next();
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.rawPath()).isEqualTo("/repos/acme/digits/statuses/" + Events.SHA);
            assertThat(request.header("Authorization")).isEqualTo("Bearer ghp_token");
            assertThat(request.header("Accept")).isEqualTo("application/vnd.github+json");
            assertThat(json(request)).isEqualTo(JSON.readTree("""
                    {"state": "success", "description": "accuracy 0.963 ≥ 0.96 after 5 trials", "context": "hone",
                     "target_url": "https://hone.example.com/runs/7"}"""));
            assertThat(detail).isEqualTo("GitHub status success on acme/digits@a1b2c3d4e5f6");
        }

        @Test
        void failuresAreFailureAndARebuildFailureIsAnError() throws Exception {
            github().send(Events.notice(Events.trainingFailed(onThisForge())));
            assertThat(json(receiver.next()).get("state").asText()).isEqualTo("failure");

            github().send(Events.notice(new Event.RebuildFailed(onThisForge(), "rebuild.py failed", List.of())));
            assertThat(json(receiver.next()).get("state").asText()).isEqualTo("error");
        }

        @Test
        void theDescriptionIsAtMost140Characters() throws Exception {
            github().send(Events.notice(new Event.TrainingFailed(onThisForge(), 1, "x".repeat(300), 1,
                    List.of())));

            assertThat(json(receiver.next()).get("description").asText()).hasSize(140).endsWith("…");
        }

        @Test
        void itTakesOnlyOutcomesOfCommitsOfItsOwnRepositories() {
            GitHubStatusNotifier github = github();

            assertThat(github.accepts(Events.targetReached(onThisForge()))).isTrue();
            assertThat(github.accepts(Events.targetReached())).as("a github.com remote").isFalse();
            assertThat(github.accepts(Events.targetReached(new Event.Origin("digits", null, null, null,
                    "git@127.0.0.1:acme/digits.git")))).as("no commit").isFalse();
            assertThat(github.accepts(new Event.ContainerGaveUp(onThisForge(), "c", 5, "x", List.of())))
                    .isFalse();
            assertThat(new GitHubStatusNotifier("t", "https://api.github.com", http).accepts(Events.targetReached()))
                    .isTrue();
        }
    }

    @Nested
    class GitLabStatuses {
        @Test
        void theStatusRequestHasGitLabsShape() throws Exception {
            Event.Origin origin = new Event.Origin("digits", Events.SHA, "Ana", "ana@example.com",
                    "ssh://git@127.0.0.1:2222/ml/vision/digits.git");
            GitLabStatusNotifier gitlab = new GitLabStatusNotifier(receiver.url(""), "glpat-token", http);

            String detail = gitlab.send(Events.notice(Events.targetMissed(origin)));

            Receiver.Request request = receiver.next();
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.rawPath()).isEqualTo("/api/v4/projects/ml%2Fvision%2Fdigits/statuses/" + Events.SHA);
            assertThat(request.header("PRIVATE-TOKEN")).isEqualTo("glpat-token");
            assertThat(request.header("Authorization")).isNull();
            assertThat(json(request)).isEqualTo(JSON.readTree("""
                    {"state": "failed", "name": "hone",
                     "description": "accuracy target 0.96 missed after 30 trials, best 0.951 (budget spent)",
                     "target_url": "https://hone.example.com/runs/7"}"""));
            assertThat(detail).isEqualTo("GitLab status failed on ml/vision/digits@a1b2c3d4e5f6");
        }

        @Test
        void aTestChecksTheToken() throws Exception {
            receiver.answer(401, "{\"message\":\"401 Unauthorized\"}");
            GitLabStatusNotifier gitlab = new GitLabStatusNotifier(receiver.url(""), "glpat-bad", http);

            assertThatThrownBy(() -> gitlab.send(Events.notice(new Event.TestMessage(Events.ORIGIN))))
                    .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retryable()).isFalse())
                    .hasMessage("GitLab answered HTTP 401 at " + receiver.url("/…")
                            + ": {\"message\":\"401 Unauthorized\"}");
            assertThat(receiver.next().rawPath()).isEqualTo("/api/v4/user");
        }
    }
}
