package dev.hone.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.hone.run.RunEvent;
import dev.hone.run.RunStatus;
import dev.hone.store.EventRow;
import dev.hone.store.NewRun;
import dev.hone.store.RunRow;
import dev.hone.store.Store;
import dev.hone.store.Stores;
import java.nio.file.Files;
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

    /** A training that waits until {@code gate} exists, then reports. */
    static String gated(Path gate, String tag) {
        return "import os, time\nwhile not os.path.exists(" + pythonString(gate.toString()) + "):\n"
                + "    time.sleep(0.05)\nprint('accuracy=0.8')  # " + tag + "\n";
    }

    private static String pythonString(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    @Test
    void fifteenPushesToOneBranchWhileItRunsRunTheNewestOnceWhileAnotherBranchRunsEveryPush() throws Exception {
        GitFixture repo = new GitFixture(tmp, "digits");
        Path gate = tmp.resolve("gate");
        repo.write("main.py", slow(0.5, "start")).commit("Start");
        repo.push("main");
        try (Serve serve = new Serve(tmp.resolve("data"), List.of(Serve.webhooks(repo.url(), SECRET, "main",
                "dev")), QueuePolicy.of(2))) {
            repo.postReceiveHook(Hooks.githubPostReceive(serve.base + "/hooks/github", SECRET, repo.url(), null));
            List<String> main = new ArrayList<>();
            List<String> dev = new ArrayList<>();
            for (int i = 1; i <= 15; i++) {
                main.add(repo.write("main.py", gated(gate, "main " + i)).commit("Main " + i));
                repo.push("main");
                if (i == 1) {
                    // the first push runs and holds main until the gate opens: pushes 2..15 all arrive while it runs
                    String first = main.get(0);
                    serve.awaitRun(r -> first.equals(r.commit()) && r.status() == RunStatus.RUNNING, 30);
                }
                if (i == 5 || i == 10) {
                    repo.switchTo("dev");
                    String sha = repo.write("main.py", slow(0.5, "dev " + i)).commit("Dev " + i);
                    dev.add(sha);
                    repo.push("dev");
                    assertThat(serve.awaitFinished(sha, 30).status()).as("dev push " + i + " while main runs")
                            .isEqualTo(RunStatus.SUCCEEDED);
                    repo.switchTo("main");
                }
            }
            Serve.await(() -> serve.store.runs(null, 100, 0).stream().filter(r -> "main".equals(r.branch())).count()
                    == 15, 30, "the 15 pushes to main to be queued");
            assertThat(serve.store.runs(null, 100, 0).stream().filter(r -> main.get(0).equals(r.commit())))
                    .as("the first push still holds main").extracting(RunRow::status)
                    .containsExactly(RunStatus.RUNNING);
            Files.createFile(gate);
            Serve.await(() -> serve.store.queue().queued().isEmpty()
                    && serve.store.queue().withStatus(RunStatus.RUNNING).isEmpty(), 60, "the queue to drain");

            List<RunRow> mainRuns = serve.store.runs(null, 100, 0).stream()
                    .filter(r -> "main".equals(r.branch())).toList();
            assertThat(mainRuns).as("every push queued once").hasSize(15);
            assertThat(mainRuns.stream().filter(r -> r.status() != RunStatus.SUPERSEDED))
                    .as("the push that was running, then only the newest of the 14 that queued behind it")
                    .extracting(RunRow::commit, RunRow::status).containsExactlyInAnyOrder(
                            tuple(main.get(0), RunStatus.SUCCEEDED), tuple(main.get(14), RunStatus.SUCCEEDED));
            List<RunRow> superseded = mainRuns.stream().filter(r -> r.status() == RunStatus.SUPERSEDED).toList();
            assertThat(superseded).extracting(RunRow::commit).containsExactlyInAnyOrderElementsOf(main.subList(1, 14));
            for (RunRow run : superseded) {
                assertThat(serve.store.events(run.id())).extracting(EventRow::type)
                        .containsExactly(RunEvent.Superseded.TYPE);
                assertThat(serve.store.events(run.id()).get(0).message())
                        .startsWith("a newer push to main replaced it: run ");
            }
            assertThat(serve.store.runs(null, 100, 0).stream().filter(r -> "dev".equals(r.branch())))
                    .extracting(RunRow::commit, RunRow::status).containsExactlyInAnyOrder(
                            tuple(dev.get(0), RunStatus.SUCCEEDED), tuple(dev.get(1), RunStatus.SUCCEEDED));
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
