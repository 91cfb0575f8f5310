package dev.hone.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hone.run.RunStatus;
import dev.hone.store.NewRun;
import dev.hone.store.Store;
import dev.hone.store.Stores;
import dev.hone.testing.FakeClock;
import dev.hone.tune.Trial;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The result of a pull request's run as ONE comment on the request, created by the first run and edited by the next:
 * against a real HTTP server on loopback standing in for GitHub's and GitLab's API, which records the calls.
 */
class PullRequestCommentTest {

    static final String SOURCE = "git@127.0.0.1:acme/digits.git";
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    Store store;
    Receiver forge;
    final Http http = new Http(Duration.ofSeconds(5), Duration.ofSeconds(10));

    @BeforeEach
    void start() throws Exception {
        store = Stores.open(dir.resolve("hone.db").toString());
        forge = new Receiver();
        long base = run("main", 0.941);
        assertThat(base).isEqualTo(1);
    }

    @AfterEach
    void stop() {
        forge.close();
        store.close();
    }

    /** A finished run of {@code branch} whose one trial reached {@code value} with C=3.2. */
    long run(String branch, double value) {
        long id = store.createRun(new NewRun("digits", SOURCE, Events.SHA, branch, "Ana", "Try", null, T0));
        store.saveTrial(id, Trial.succeeded(1, Map.of("C", 3.2), value, List.of(), 1000), T0, null);
        store.finishRun(id, RunStatus.TARGET_REACHED, 1, T0);
        return id;
    }

    static Event.Origin pull(String branch) {
        return new Event.Origin("digits", Events.SHA, "Ana", "ana@example.com", SOURCE, Map.of(), branch);
    }

    @Test
    void gitHubGetsOneCommentEditedByTheNextRun() throws Exception {
        store.installation().saveTriggerState(SOURCE, "base:pull:7", "main", T0);
        PullRequestComment github = new PullRequestComment(PullRequestComment.Forge.GITHUB, forge.url(""),
                "ghp_token", http, store, new FakeClock());
        long first = run("pull:7", 0.963);
        forge.answer(201, "{\"id\": 4242, \"body\": \"…\"}");

        String detail = github.send(new Notice(first, Events.targetReached(pull("pull:7")),
                "https://hone.example.com/runs/" + first, "k1"));

        Receiver.Request created = forge.next();
        assertThat(created.method()).isEqualTo("POST");
        assertThat(created.rawPath()).isEqualTo("/repos/acme/digits/issues/7/comments");
        assertThat(created.header("Authorization")).isEqualTo("Bearer ghp_token");
        assertThat(JSON.readTree(created.body()).get("body").asText()).isEqualTo(
                "**Hone**: target reached — digits: accuracy 0.963 ≥ 0.96 after 5 trials\n\n"
                        + "- best: 0.963 (main's latest: 0.941, run 1)\n"
                        + "- trials: 1\n"
                        + "- best parameters: C=3.2\n"
                        + "\n[Run 2 in Hone](https://hone.example.com/runs/2)\n");
        assertThat(detail).isEqualTo("GitHub comment 4242 on acme/digits pull request #7 created");

        long second = run("pull:7", 0.95);
        forge.answer(200, "{\"id\": 4242}");
        String again = github.send(new Notice(second, Events.targetMissed(pull("pull:7")),
                "https://hone.example.com/runs/" + second, "k2"));

        Receiver.Request edited = forge.next();
        assertThat(edited.method()).isEqualTo("PATCH");
        assertThat(edited.rawPath()).isEqualTo("/repos/acme/digits/issues/comments/4242");
        assertThat(JSON.readTree(edited.body()).get("body").asText()).startsWith("**Hone**: target not reached")
                .contains("- best: 0.95 (main's latest: 0.941, run 1)\n", "[Run 3 in Hone]");
        assertThat(again).isEqualTo("GitHub comment 4242 on acme/digits pull request #7 edited");
        assertThat(forge.requests()).as("one comment, edited: no second POST").hasSize(2);
    }

    @Test
    void gitLabGetsOneNoteOnTheMergeRequestEditedByTheNextRun() throws Exception {
        PullRequestComment gitlab = new PullRequestComment(PullRequestComment.Forge.GITLAB, forge.url(""),
                "glpat-token", http, store, new FakeClock());
        long first = run("merge-request:3", 0.963);
        forge.answer(201, "{\"id\": 99}");
        gitlab.send(new Notice(first, Events.targetReached(pull("merge-request:3")), null, "k1"));
        Receiver.Request created = forge.next();
        assertThat(created.method()).isEqualTo("POST");
        assertThat(created.rawPath()).isEqualTo("/api/v4/projects/acme%2Fdigits/merge_requests/3/notes");
        assertThat(created.header("PRIVATE-TOKEN")).isEqualTo("glpat-token");

        gitlab.send(new Notice(run("merge-request:3", 0.97), Events.targetReached(pull("merge-request:3")), null,
                "k2"));
        Receiver.Request edited = forge.next();
        assertThat(edited.method()).isEqualTo("PUT");
        assertThat(edited.rawPath()).isEqualTo("/api/v4/projects/acme%2Fdigits/merge_requests/3/notes/99");
    }

    @Test
    void onlyTheOutcomeOfAPullRequestsRunIsCommented() {
        PullRequestComment github = new PullRequestComment(PullRequestComment.Forge.GITHUB, forge.url(""),
                "ghp_token", http, store, new FakeClock());
        assertThat(github.accepts(Events.targetReached(pull("pull:7")))).isTrue();
        assertThat(github.accepts(Events.targetReached(pull("main")))).as("a branch's run").isFalse();
        assertThat(github.accepts(Events.rebuildFailed())).isFalse();
    }
}
