package dev.hone.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
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
}
