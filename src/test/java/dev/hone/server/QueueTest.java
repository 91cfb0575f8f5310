package dev.hone.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.run.RunEvent;
import dev.hone.run.RunStatus;
import dev.hone.store.EventRow;
import dev.hone.store.NewRun;
import dev.hone.store.RunRow;
import dev.hone.store.Store;
import dev.hone.store.Stores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The durable queue: coalescing, per-branch order, cancellation, restarts and graceful shutdown. */
class QueueTest {

    static final String SECRET = "queue-secret";

    @TempDir
    Path tmp;

    static String slow(double seconds, String tag) {
        return "import time\ntime.sleep(" + seconds + ")\nprint('accuracy=0.8')  # " + tag + "\n";
    }

    @Test
    void fifteenQuickPushesToOneBranchRunAtMostThreeTimesWithTheNewestWhileAnotherBranchRunsEveryPush()
            throws Exception {
        GitFixture repo = new GitFixture(tmp, "digits");
        repo.write("main.py", slow(3, "start")).commit("Start");
        repo.push("main");
        try (Serve serve = new Serve(tmp.resolve("data"), List.of(Serve.webhooks(repo.url(), SECRET, "main",
                "dev")), QueuePolicy.of(2))) {
            repo.postReceiveHook(Hooks.githubPostReceive(serve.base + "/hooks/github", SECRET, repo.url(), null));
            List<String> main = new ArrayList<>();
            List<String> dev = new ArrayList<>();
            for (int i = 1; i <= 15; i++) {
                main.add(repo.write("main.py", slow(3, "main " + i)).commit("Main " + i));
                repo.push("main");
                if (i == 5 || i == 10) {
                    repo.switchTo("dev");
                    String sha = repo.write("main.py", slow(0.5, "dev " + i)).commit("Dev " + i);
                    dev.add(sha);
                    repo.push("dev");
                    serve.awaitRun(r -> sha.equals(r.commit()) && r.status() != RunStatus.QUEUED, 30);
                    repo.switchTo("main");
                }
            }
            Serve.await(() -> serve.store.queue().queued().isEmpty()
                    && serve.store.queue().withStatus(RunStatus.RUNNING).isEmpty(), 60, "the queue to drain");

            List<RunRow> mainRuns = serve.store.runs(null, 100, 0).stream()
                    .filter(r -> "main".equals(r.branch())).toList();
            List<RunRow> ran = mainRuns.stream().filter(r -> r.status() != RunStatus.SUPERSEDED).toList();
            assertThat(mainRuns).as("every push queued once").hasSize(15);
            assertThat(ran).hasSizeLessThanOrEqualTo(3);
            assertThat(ran).anySatisfy(r -> {
                assertThat(r.commit()).isEqualTo(main.get(14));
                assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
            });
            RunRow superseded = mainRuns.stream().filter(r -> r.status() == RunStatus.SUPERSEDED).findFirst()
                    .orElseThrow();
            assertThat(serve.store.events(superseded.id())).extracting(EventRow::type)
                    .containsExactly(RunEvent.Superseded.TYPE);
            assertThat(serve.store.events(superseded.id()).get(0).message())
                    .startsWith("a newer push to main replaced it: run ");
            for (String sha : dev) {
                assertThat(serve.awaitFinished(sha, 5).status()).as("dev push " + sha).isEqualTo(RunStatus.SUCCEEDED);
            }
        }
    }

    @Test
    void aQueuedRunCanBeCancelledAndARunningOneToo() throws Exception {
        GitFixture repo = new GitFixture(tmp, "digits");
        repo.write("main.py", slow(30, "long")).commit("Long");
        repo.push("main");
        try (Serve serve = new Serve(tmp.resolve("data"), List.of(Serve.webhooks(repo.url(), SECRET)),
                QueuePolicy.of(2))) {
            assertThat(serve.post("/api/runs", "{\"project\": \"digits\"}").body())
                    .isEqualTo("{\"id\":1,\"status\":\"queued\"}");
            serve.awaitRun(r -> r.id() == 1 && r.status() == RunStatus.RUNNING, 20);
            Serve.await(() -> !serve.store.trials(1).isEmpty(), 20, "trial 1 to start");
            assertThat(serve.post("/api/runs", "{\"project\": \"digits\"}").statusCode()).isEqualTo(202);

            assertThat(serve.post("/api/runs/2/cancel", "").body()).isEqualTo("{\"id\":2,\"status\":\"cancelled\"}");
            assertThat(serve.store.run(2).orElseThrow().status()).isEqualTo(RunStatus.CANCELLED);
            assertThat(serve.post("/api/runs/1/cancel", "").body()).isEqualTo("{\"id\":1,\"status\":\"cancelling\"}");
            assertThat(serve.awaitRun(r -> r.id() == 1 && r.status() != RunStatus.RUNNING, 20).status())
                    .isEqualTo(RunStatus.CANCELLED);
            assertThat(serve.post("/api/runs/1/cancel", "").statusCode()).isEqualTo(409);
            assertThat(serve.store.run(1).orElseThrow().commit()).as("the head, resolved when it started")
                    .isEqualTo(repo.git(repo.work, "rev-parse", "HEAD").strip());
        }
    }

    @Test
    void runsQueuedBeforeTheServerStartedAreRun() throws Exception {
        GitFixture repo = new GitFixture(tmp, "digits");
        String sha = repo.write("main.py", "print('accuracy=0.7')\n").commit("Queued while down");
        repo.push("main");
        try (Store store = Stores.open(tmp.resolve("data/hone.db").toString())) {
            store.queue().enqueue(new NewRun("digits", repo.url(), sha, "main", "Ana", "Queued while down", null,
                    Instant.now()));
        }
        try (Serve serve = new Serve(tmp.resolve("data"), List.of(Serve.webhooks(repo.url(), SECRET)),
                QueuePolicy.of(1))) {
            assertThat(serve.awaitFinished(sha, 30).status()).isEqualTo(RunStatus.SUCCEEDED);
        }
    }

    @Test
    void shutdownStopsRunningTrialsRecordsTheirRunsInterruptedAndKeepsQueuedRunsQueued() throws Exception {
        GitFixture repo = new GitFixture(tmp, "digits");
        repo.write("main.py", slow(60, "forever")).commit("Forever");
        repo.push("main");
        try (Serve serve = new Serve(tmp.resolve("data"), List.of(Serve.webhooks(repo.url(), SECRET)),
                QueuePolicy.of(1))) {
            serve.post("/api/runs", "{\"project\": \"digits\"}");
            Serve.await(() -> !serve.store.trials(1).isEmpty(), 20, "trial 1 to start");
            serve.post("/api/runs", "{\"project\": \"digits\"}");

            long start = System.nanoTime();
            serve.server.stop(Duration.ofSeconds(15));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));

            assertThat(serve.store.run(1).orElseThrow().status()).isEqualTo(RunStatus.INTERRUPTED);
            assertThat(serve.store.events(1)).extracting(EventRow::type).contains(RunEvent.Interrupted.TYPE);
            assertThat(serve.store.run(2).orElseThrow().status()).isEqualTo(RunStatus.QUEUED);
        }
    }
}
