package dev.hone.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class WebhooksTest {

    static final String SHA = "5f1a0b2c3d4e5f60718293a4b5c6d7e8f9012345";
    static final String ZERO = "0000000000000000000000000000000000000000";

    static HookEvent parse(Webhooks.Provider provider, Map<String, String> headers, String body) {
        return Webhooks.parse(provider, headers::get, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsAGitHubPush() {
        HookEvent event = parse(Webhooks.Provider.GITHUB, Map.of("X-GitHub-Event", "push"), """
                {"ref": "refs/heads/main", "before": "%s", "after": "%s", "deleted": false,
                 "repository": {"clone_url": "https://github.com/acme/digits.git",
                                "ssh_url": "git@github.com:acme/digits.git"},
                 "head_commit": {"id": "%s", "message": "Tune C\\n\\nlonger text",
                                 "author": {"name": "Ana Dev", "email": "ana@example.com"}}}
                """.formatted(ZERO.replace('0', '1'), SHA, SHA));
        assertThat(event).isEqualTo(new HookEvent.PushEvent(new Push(
                List.of("https://github.com/acme/digits.git", "git@github.com:acme/digits.git"), "main",
                ZERO.replace('0', '1'), SHA, "Ana Dev <ana@example.com>", "Tune C", false)));
    }

    @Test
    void readsAGitHubPingAndOtherEvents() {
        String body = "{\"zen\": \"Keep it simple.\", \"repository\": {\"clone_url\": \"https://x/a.git\"}}";
        assertThat(parse(Webhooks.Provider.GITHUB, Map.of("X-GitHub-Event", "ping"), body))
                .isEqualTo(new HookEvent.Ping(List.of("https://x/a.git")));
        assertThat(parse(Webhooks.Provider.GITHUB, Map.of("X-GitHub-Event", "issues"), body))
                .isEqualTo(new HookEvent.Other("issues", List.of("https://x/a.git")));
    }

    @Test
    void aPushThatDeletesABranchSaysSo() {
        HookEvent event = parse(Webhooks.Provider.GITHUB, Map.of("X-GitHub-Event", "push"), """
                {"ref": "refs/heads/old", "before": "%s", "after": "%s", "deleted": true, "head_commit": null,
                 "repository": {"clone_url": "https://x/a.git"}}""".formatted(SHA, ZERO));
        assertThat(((HookEvent.PushEvent) event).push().deleted()).isTrue();
    }

    @Test
    void readsAGitLabPush() {
        HookEvent event = parse(Webhooks.Provider.GITLAB, Map.of("X-Gitlab-Event", "Push Hook"), """
                {"object_kind": "push", "ref": "refs/heads/main", "before": "%s", "after": "%s",
                 "user_name": "Pusher", "user_email": "pusher@example.com",
                 "project": {"git_http_url": "https://gitlab.example.com/acme/digits.git",
                             "git_ssh_url": "git@gitlab.example.com:acme/digits.git"},
                 "commits": [{"id": "%s", "message": "Add layer\\n", "author": {"name": "Ana", "email": "a@x"}}]}
                """.formatted(ZERO, SHA, SHA));
        Push push = ((HookEvent.PushEvent) event).push();
        assertThat(push.branch()).isEqualTo("main");
        assertThat(push.author()).isEqualTo("Ana <a@x>");
        assertThat(push.message()).isEqualTo("Add layer");
        assertThat(push.repositoryUrls()).contains("git@gitlab.example.com:acme/digits.git");
    }

    @Test
    void readsAGiteaPushAndTheGenericFormat() {
        HookEvent gitea = parse(Webhooks.Provider.GITEA, Map.of("X-Gitea-Event", "push"), """
                {"ref": "refs/heads/dev", "before": "%s", "after": "%s",
                 "repository": {"clone_url": "https://gitea.example.com/acme/digits.git"},
                 "head_commit": {"id": "%s", "message": "m", "author": {"name": "B", "email": "b@x"}}}
                """.formatted(ZERO, SHA, SHA));
        assertThat(((HookEvent.PushEvent) gitea).push().branch()).isEqualTo("dev");
        HookEvent generic = parse(Webhooks.Provider.GENERIC, Map.of(), """
                {"repository": "/srv/git/digits.git", "branch": "main", "commit": "%s", "author": "C <c@x>",
                 "message": "Generic"}""".formatted(SHA));
        assertThat(generic).isEqualTo(new HookEvent.PushEvent(new Push(List.of("/srv/git/digits.git"),
                "main", null, SHA, "C <c@x>", "Generic", false)));
    }

    @Test
    void aTagIsNotABranch() {
        HookEvent event = parse(Webhooks.Provider.GITHUB, Map.of("X-GitHub-Event", "push"), """
                {"ref": "refs/tags/v1", "after": "%s", "repository": {"clone_url": "https://x/a.git"}}"""
                .formatted(SHA));
        assertThat(((HookEvent.PushEvent) event).push().branch()).isNull();
    }

    @Test
    void malformedPayloadsSayWhatIsWrong() {
        assertThatThrownBy(() -> parse(Webhooks.Provider.GITHUB, Map.of("X-GitHub-Event", "push"), "{not json"))
                .isInstanceOf(BadHookException.class).hasMessageStartingWith("the payload is not valid JSON: ");
        assertThatThrownBy(() -> parse(Webhooks.Provider.GITHUB, Map.of("X-GitHub-Event", "push"), "[1, 2]"))
                .hasMessage("the payload must be a JSON object");
        assertThatThrownBy(() -> parse(Webhooks.Provider.GITHUB, Map.of("X-GitHub-Event", "push"),
                "{\"ref\": \"refs/heads/main\"}")).hasMessage("the payload has no \"after\"");
        assertThatThrownBy(() -> parse(Webhooks.Provider.GENERIC, Map.of(), "{\"branch\": \"main\"}"))
                .hasMessage("the generic hook's payload needs \"repository\": the repository's git URL");
    }

    /** One of the senders' own published examples (src/test/resources/webhooks, whose README names the sources). */
    static String published(String name) {
        try (InputStream in = WebhooksTest.class.getResourceAsStream("/webhooks/" + name)) {
            return new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static final Push GITHUB_EXAMPLE = new Push(List.of("https://github.com/Codertocat/Hello-World.git",
            "git@github.com:Codertocat/Hello-World.git", "git://github.com/Codertocat/Hello-World.git",
            "https://github.com/Codertocat/Hello-World"), "master", ZERO, "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
            "Codertocat <21031067+Codertocat@users.noreply.github.com>", "Initial commit", false);

    @Test
    void readsGitHubsPublishedPushExample() {
        assertThat(parse(Webhooks.Provider.GITHUB, Map.of("X-GitHub-Event", "push", "Content-Type",
                "application/json"), published("github-push-with-new-branch.json")))
                .isEqualTo(new HookEvent.PushEvent(GITHUB_EXAMPLE));
    }

    @Test
    void readsGitHubsDefaultFormEncodedBody() {
        String form = "payload=" + URLEncoder.encode(published("github-push-with-new-branch.json"),
                StandardCharsets.UTF_8);
        assertThat(parse(Webhooks.Provider.GITHUB, Map.of("X-GitHub-Event", "push", "Content-Type",
                "application/x-www-form-urlencoded"), form)).isEqualTo(new HookEvent.PushEvent(GITHUB_EXAMPLE));
        assertThat(parse(Webhooks.Provider.GITEA, Map.of("X-Gitea-Event", "push"), form))
                .as("a form body without a content type, as a proxy may leave it")
                .isEqualTo(new HookEvent.PushEvent(GITHUB_EXAMPLE));
        assertThatThrownBy(() -> parse(Webhooks.Provider.GITHUB, Map.of("X-GitHub-Event", "push", "Content-Type",
                "application/x-www-form-urlencoded; charset=utf-8"), "zen=Keep+it+simple"))
                .isInstanceOf(BadHookException.class).hasMessage("the form has no payload field: send the JSON as "
                        + "payload=<JSON> or as the body with Content-Type: application/json");
    }

    @Test
    void readsGitLabsPublishedPushExample() {
        Push push = ((HookEvent.PushEvent) parse(Webhooks.Provider.GITLAB, Map.of("X-Gitlab-Event", "Push Hook"),
                published("gitlab-push.json"))).push();
        assertThat(push).isEqualTo(new Push(List.of("http://example.com/mike/diaspora.git",
                "git@example.com:mike/diaspora.git", "http://example.com/mike/diaspora"), "master",
                "95790bf891e76fee5e1747ab589903a6a1f80f22", "da1560886d4f094c3e6c9ef40349f7d38b5d27d7",
                "GitLab dev user <gitlabdev@dv6700.(none)>", "fixed readme", false));
    }

    @Test
    void afterMustBeACommitIdNotABranchName() {
        String github = published("github-push-with-new-branch.json")
                .replace("\"after\": \"6113728f27ae82c7b1a177c8d03f9e96e0adf246\"", "\"after\": \"main\"");
        assertThatThrownBy(() -> parse(Webhooks.Provider.GITHUB, Map.of("X-GitHub-Event", "push"), github))
                .isInstanceOf(BadHookException.class).hasMessage("the payload's \"after\" must be a commit id (40 "
                        + "or 64 hexadecimal characters), got \"main\"");
        String gitlab = published("gitlab-push.json").replace("\"after\": \"da1560886d4f094c3e6c9ef40349f7d38b5d27d7\"",
                "\"after\": \"HEAD~1\"");
        assertThatThrownBy(() -> parse(Webhooks.Provider.GITLAB, Map.of(), gitlab))
                .hasMessage("the payload's \"after\" must be a commit id (40 or 64 hexadecimal characters), got "
                        + "\"HEAD~1\"");
        assertThatThrownBy(() -> parse(Webhooks.Provider.GENERIC, Map.of(),
                "{\"repository\": \"/srv/git/a.git\", \"branch\": \"main\", \"commit\": \"" + SHA + "0\"}"))
                .hasMessage("the payload's \"commit\" must be a commit id (40 or 64 hexadecimal characters), got \""
                        + SHA + "0\"");
        String sha256 = "ab".repeat(32);
        HookEvent generic = parse(Webhooks.Provider.GENERIC, Map.of(),
                "{\"repository\": \"/srv/git/a.git\", \"branch\": \"main\", \"commit\": \"" + sha256.toUpperCase()
                        + "\"}");
        assertThat(((HookEvent.PushEvent) generic).push().after()).as("a SHA-256 repository's id").isEqualTo(sha256);
    }
}
