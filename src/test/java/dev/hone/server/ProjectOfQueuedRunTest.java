package dev.hone.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hone.run.RunStatus;
import dev.hone.store.RunRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run belongs to one project from the moment it is queued: the {@code name:} of its commit's {@code hone.yaml},
 * as {@code GET /api/runs} and {@code GET /api/projects} show it, with no project left behind under the
 * repository's name. One run at a time, held by another repository's run, keeps the runs queued while they are
 * looked at.
 */
class ProjectOfQueuedRunTest {

    static final String SECRET = "project-secret";
    static final String HONE_YAML = "name: digits-sgd\nmetric: {name: accuracy, direction: maximize}\n";
    static final QueuePolicy ONE_AT_A_TIME = new QueuePolicy(1, 1, false);

    @TempDir
    Path tmp;

    @Test
    void aRunIsQueuedUnderTheNameItsCommitsHoneYamlGives() throws Exception {
        Path gate = tmp.resolve("gate");
        GitFixture busy = holding(gate);
        GitFixture clf = new GitFixture(tmp, "clf");
        String head = clf.write("hone.yaml", HONE_YAML).write("main.py", "print('accuracy=0.9')\n").commit("Start");
        clf.push("main");
        try (Serve serve = new Serve(tmp.resolve("data"), List.of(Serve.polled(busy.url(), Duration.ofSeconds(1))),
                ONE_AT_A_TIME)) {
            serve.awaitRun(r -> r.project().equals("busy") && r.status() == RunStatus.RUNNING, 30);
            assertThat(serve.post("/api/repositories", "{\"url\": \"" + clf.url() + "\", \"poll\": \"1s\"}")
                    .statusCode()).isEqualTo(201);

            RunRow queued = serve.awaitRun(r -> head.equals(r.commit()), 30);
            assertThat(queued.status()).isEqualTo(RunStatus.QUEUED);
            assertThat(project(serve, queued.id())).isEqualTo("digits-sgd");
            assertThat(projects(serve)).containsExactly("busy", "digits-sgd");

            Files.createFile(gate);
            assertThat(serve.awaitFinished(head, 30).status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(projects(serve)).containsExactly("busy", "digits-sgd");
        }
    }

    @Test
    void runsQueuedBeforeTheirHoneYamlCouldBeReadMoveToItsNameAndNoEmptyProjectLingers() throws Exception {
        Path gate = tmp.resolve("gate");
        Path second = tmp.resolve("second-gate");
        GitFixture busy = holding(gate);
        GitFixture clf = new GitFixture(tmp, "clf");
        try (Serve serve = new Serve(tmp.resolve("data"), List.of(Serve.polled(busy.url(), Duration.ofSeconds(1)),
                Serve.webhooks(clf.url(), SECRET)), ONE_AT_A_TIME)) {
            serve.awaitRun(r -> r.project().equals("busy") && r.status() == RunStatus.RUNNING, 30);
            clf.postReceiveHook(Hooks.githubPostReceive(serve.base + "/hooks/github", SECRET, clf.url(), null));
            List<String> pushed = new ArrayList<>();
            pushed.add(clf.write("hone.yaml", HONE_YAML).write("main.py", QueueTest.gated(second, "first"))
                    .commit("First"));
            clf.push("main");
            pushed.add(clf.write("main.py", "print('accuracy=0.9')\n").commit("Second"));
            clf.push("main");
            for (String sha : pushed) {
                RunRow run = serve.awaitRun(r -> sha.equals(r.commit()), 30);
                assertThat(project(serve, run.id())).as("a webhook's commit is not fetched yet: the repository's name")
                        .isEqualTo("clf");
            }
            assertThat(projects(serve)).containsExactly("busy", "clf");

            Files.createFile(gate);
            RunRow first = serve.awaitRun(r -> pushed.get(0).equals(r.commit()) && r.project().equals("digits-sgd"),
                    30);
            assertThat(first.status()).isEqualTo(RunStatus.RUNNING);
            RunRow queued = serve.store.run(serve.awaitRun(r -> pushed.get(1).equals(r.commit()), 5).id())
                    .orElseThrow();
            assertThat(queued.status()).isEqualTo(RunStatus.QUEUED);
            assertThat(project(serve, queued.id())).as("moved with the run that read the name").isEqualTo("digits-sgd");
            assertThat(projects(serve)).as("no empty project left under the repository's name")
                    .containsExactly("busy", "digits-sgd");

            Files.createFile(second);
            for (String sha : pushed) {
                assertThat(serve.awaitFinished(sha, 30).status()).isEqualTo(RunStatus.SUCCEEDED);
            }
            assertThat(projects(serve)).containsExactly("busy", "digits-sgd");
        }
    }

    /** A repository "busy" whose head, run when first seen, holds the one run slot until {@code gate} exists. */
    private GitFixture holding(Path gate) throws Exception {
        GitFixture busy = new GitFixture(tmp, "busy");
        busy.write("main.py", QueueTest.gated(gate, "busy")).commit("Hold");
        busy.push("main");
        return busy;
    }

    private static String project(Serve serve, long runId) throws Exception {
        return new ObjectMapper().readTree(serve.get("/api/runs/" + runId).body()).get("project").asText();
    }

    private static List<String> projects(Serve serve) throws Exception {
        List<String> names = new ArrayList<>();
        for (JsonNode item : new ObjectMapper().readTree(serve.get("/api/projects").body()).get("items")) {
            names.add(item.get("name").asText());
        }
        return names;
    }
}
