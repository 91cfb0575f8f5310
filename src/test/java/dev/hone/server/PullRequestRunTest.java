package dev.hone.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.run.RunStatus;
import dev.hone.source.Signatures;
import dev.hone.spec.ServerSpec;
import dev.hone.store.EventRow;
import dev.hone.store.RunRow;
import dev.hone.testing.Parts;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pull_requests: true}: a GitHub {@code pull_request} or GitLab merge request webhook for a watched base
 * branch trains the request's head, fetched from {@code refs/pull/N/head} ({@code refs/merge-requests/N/head}), in a
 * Docker container without network and without the train.env values that hold Hone's secrets; off by default; and
 * refused with a clear event where Docker does not answer.
 */
class PullRequestRunTest {

    static final String SECRET = "pr-hook-secret-4411";
    static final Map<String, String> SERVER_ENV = Map.of("DEPLOY_SECRET", "tok-deploy-77e1f0");

    /** Says whether it has the secret and the network, and reports a metric. */
    static final String PROBE = """
            import os, socket
            print('token=' + os.environ.get('TOKEN', 'none'))
            print('label=' + os.environ.get('LABEL', 'none'))
            try:
                socket.create_connection(('1.1.1.1', 53), timeout=2).close()
                print('network=yes')
            except OSError:
                print('network=none')
            print('accuracy=0.9')
            """;
    static final String SPEC = "train: {env: {TOKEN: \"${DEPLOY_SECRET}\", LABEL: pr}}\n";

    @TempDir
    Path tmp;

    @Test
    void aPullRequestsHeadRunsInDockerWithoutNetworkNorSecrets() throws Exception {
        Parts.requireDocker();
        GitFixture repo = new GitFixture(tmp, "digits");
        repo.write("main.py", "print('accuracy=0.8')\n").commit("Start");
        repo.push("main");
        repo.switchTo("feature");
        String head = repo.write("main.py", PROBE).write("hone.yaml", SPEC).commit("Try a probe");
        repo.pushRef("refs/pull/7/head");
        try (Serve serve = new Serve(tmp.resolve("data"), List.of(Serve.webhooks(repo.url(), SECRET)
                .withPullRequests(true)), QueuePolicy.of(1), SERVER_ENV, List.of("DEPLOY_SECRET"))) {
            HttpResponse<String> answer = github(serve, pullRequest(repo.url(), "opened", 7, head, "main"));
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
            assertThat(answer.body()).contains("\"status\":\"queued\"");

            RunRow run = serve.awaitFinished(head, 120);
            assertThat(run.status()).as(serve.output()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(run.branch()).isEqualTo("pull:7");
            assertThat(run.executor()).isEqualTo("docker");
            String log = serve.get("/api/runs/" + run.id() + "/logs?trial=1").body();
            assertThat(log).contains("token=none\n", "label=pr\n", "network=none\n").doesNotContain("tok-deploy");
        }
    }

    @Test
    void aPullRequestIsNotRunWhereDockerDoesNotAnswerAndTheRunSaysWhy() throws Exception {
        GitFixture repo = new GitFixture(tmp, "digits");
        repo.write("main.py", "print('accuracy=0.8')\n").commit("Start");
        repo.push("main");
        String head = repo.write("main.py", PROBE).commit("Try a probe");
        repo.pushRef("refs/merge-requests/3/head");
        Map<String, String> noDocker = Map.of("DOCKER_HOST", "unix://" + tmp.resolve("no-docker.sock"));
        try (Serve serve = new Serve(tmp.resolve("data"), List.of(Serve.webhooks(repo.url(), SECRET)
                .withPullRequests(true)), QueuePolicy.of(1), noDocker, List.of())) {
            HttpResponse<String> answer = gitlab(serve, mergeRequest(repo.url(), "open", 3, head, "main"));
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);

            RunRow run = serve.awaitFinished(head, 60);
            assertThat(run.status()).isEqualTo(RunStatus.INVALID_CONFIG);
            assertThat(run.branch()).isEqualTo("merge-request:3");
            assertThat(serve.store.events(run.id())).extracting(EventRow::message).anySatisfy(m -> assertThat(m)
                    .contains("merge request !3 is not run: the code of a pull request is not trusted, so it runs "
                            + "only in a Docker container without network, and Docker does not answer here ("));
        }
    }

    @Test
    void pullRequestsAreNotRunUnlessTheRepositorySaysSoNorWhenTheyMergeIntoAnUnwatchedBranch() throws Exception {
        GitFixture repo = new GitFixture(tmp, "digits");
        String head = repo.write("main.py", "print('accuracy=0.8')\n").commit("Start");
        repo.push("main");
        repo.pushRef("refs/pull/8/head");
        ServerSpec.Repository off = Serve.webhooks(repo.url(), SECRET);
        try (Serve serve = new Serve(tmp.resolve("data"), List.of(off), QueuePolicy.of(1))) {
            HttpResponse<String> answer = github(serve, pullRequest(repo.url(), "opened", 8, head, "main"));
            assertThat(answer.statusCode()).isEqualTo(202);
            assertThat(answer.body()).contains("\"status\":\"ignored\"", "pull request #8 is not run: pull_requests "
                    + "is off for " + repo.url() + " — set pull_requests: true on it in hone-server.yaml to train "
                    + "them (untrusted: without secrets nor network, in Docker)");
            assertThat(github(serve, pullRequest(repo.url(), "closed", 8, head, "main")).body())
                    .contains("\"status\":\"ignored\"", "a pull_request closed event is not a push");
        }
        try (Serve serve = new Serve(tmp.resolve("data2"), List.of(off.withPullRequests(true)), QueuePolicy.of(1))) {
            assertThat(github(serve, pullRequest(repo.url(), "opened", 8, head, "release")).body())
                    .contains("pull request #8 merges into release, which is not watched (watching [main])");
            assertThat(serve.store.runs(null, 10, 0)).isEmpty();
        }
    }

    /** GitHub's pull_request payload, as much of it as Hone reads. */
    static String pullRequest(String url, String action, int number, String head, String base) {
        return """
                {"action": "%s", "number": %d,
                 "pull_request": {"number": %d, "title": "Try a probe", "state": "open",
                   "head": {"ref": "feature", "sha": "%s"}, "base": {"ref": "%s", "sha": "%s"}},
                 "repository": {"full_name": "acme/digits", "clone_url": "%s"}}
                """.formatted(action, number, number, head, base, "0".repeat(40), url);
    }

    /** GitLab's Merge Request Hook payload, as much of it as Hone reads. */
    static String mergeRequest(String url, String action, int iid, String head, String target) {
        return """
                {"object_kind": "merge_request", "event_type": "merge_request",
                 "project": {"path_with_namespace": "acme/digits", "git_http_url": "%s"},
                 "object_attributes": {"iid": %d, "title": "Try a probe", "action": "%s", "state": "opened",
                   "source_branch": "feature", "target_branch": "%s", "last_commit": {"id": "%s"}}}
                """.formatted(url, iid, action, target, head);
    }

    static HttpResponse<String> github(Serve serve, String body) {
        return serve.post("/hooks/github", body, "X-GitHub-Event", "pull_request", "X-Hub-Signature-256",
                "sha256=" + Signatures.hmacSha256Hex(SECRET, body.getBytes(StandardCharsets.UTF_8)));
    }

    static HttpResponse<String> gitlab(Serve serve, String body) {
        return serve.post("/hooks/gitlab", body, "X-Gitlab-Event", "Merge Request Hook", "X-Gitlab-Token", SECRET);
    }
}
