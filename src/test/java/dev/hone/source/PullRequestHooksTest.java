package dev.hone.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a pull or merge request webhook says, in each forge's payload shape; only new code is run. */
class PullRequestHooksTest {

    static final String SHA = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";

    static HookEvent parse(Webhooks.Provider provider, Map<String, String> headers, String body) {
        return Webhooks.parse(provider, headers::get, body.getBytes(StandardCharsets.UTF_8));
    }

    static String github(String action) {
        return """
                {"action": "%s", "number": 12, "pull_request": {"number": 12, "title": "Faster",
                 "head": {"sha": "%s"}, "base": {"ref": "main"}},
                 "repository": {"clone_url": "https://git.example.com/acme/digits.git"}}""".formatted(action, SHA);
    }

    @Test
    void gitHubAndGiteaPullRequestsOpenedOrWithNewCommitsAreRun() {
        HookEvent opened = parse(Webhooks.Provider.GITHUB, Map.of("X-GitHub-Event", "pull_request"), github("opened"));
        assertThat(opened).isEqualTo(new HookEvent.PullRequest(List.of("https://git.example.com/acme/digits.git"),
                new PullRef(PullRef.Kind.PULL, 12), SHA, "main", "Faster"));
        assertThat(((HookEvent.PullRequest) opened).ref().ref()).isEqualTo("refs/pull/12/head");
        assertThat(parse(Webhooks.Provider.GITEA, Map.of("X-Gitea-Event", "pull_request"), github("synchronized")))
                .isInstanceOf(HookEvent.PullRequest.class);
        assertThat(parse(Webhooks.Provider.GITHUB, Map.of("X-GitHub-Event", "pull_request"), github("labeled")))
                .isEqualTo(new HookEvent.Other("pull_request labeled",
                        List.of("https://git.example.com/acme/digits.git")));
    }

    @Test
    void gitLabMergeRequestsOpenedOrUpdatedWithNewCommitsAreRunButNotOtherUpdates() {
        String update = """
                {"object_kind": "merge_request", "project": {"git_http_url": "https://gitlab.example.com/acme/d.git"},
                 "object_attributes": {"iid": 4, "action": "update", %s"target_branch": "main",
                   "title": "Faster", "last_commit": {"id": "%s"}}}""";
        HookEvent pushed = parse(Webhooks.Provider.GITLAB, Map.of(), update.formatted("\"oldrev\": \"" + SHA + "\", ",
                SHA));
        assertThat(pushed).isInstanceOf(HookEvent.PullRequest.class);
        assertThat(((HookEvent.PullRequest) pushed).ref().branch()).isEqualTo("merge-request:4");
        assertThat(((HookEvent.PullRequest) pushed).ref().ref()).isEqualTo("refs/merge-requests/4/head");
        assertThat(parse(Webhooks.Provider.GITLAB, Map.of(), update.formatted("", SHA)))
                .as("a title edited: no new commits").isInstanceOf(HookEvent.Other.class);
    }

    @Test
    void aRunsBranchNamesAPullRequestOnlyInItsOwnForm() {
        assertThat(PullRef.of("pull:7")).contains(new PullRef(PullRef.Kind.PULL, 7));
        assertThat(PullRef.of("pull/7")).as("a branch may be called pull/7").isEmpty();
        assertThat(PullRef.of("main")).isEmpty();
        assertThat(PullRef.of(null)).isEmpty();
    }
}
