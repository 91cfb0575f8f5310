package dev.hone.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.run.Notifiable;
import dev.hone.run.RunEvent;
import dev.hone.run.RunStatus;
import dev.hone.server.GitFixture;
import dev.hone.store.EventRow;
import dev.hone.store.NotificationRow;
import dev.hone.store.RunRow;
import dev.hone.store.Store;
import dev.hone.store.Stores;
import dev.hone.testing.Await;
import dev.hone.testing.Docker;
import dev.hone.testing.Orphans;
import dev.hone.testing.Parts;
import dev.hone.testing.Ports;
import dev.hone.tune.Trial;
import dev.hone.tune.TrialState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a real {@code hone serve} in the middle of a study; the next one finishes it, each trial once, in the
 * workspace as the killed one left it.
 */
class ResumeAfterKillTest {

    static final String TOKEN = "test-token-0123456789";
    static final String PROJECT = "supervise-resume";
    static final String MAIN = """
            import os, time
            n = os.environ["HONE_TRIAL"]
            attempts = os.path.join(os.environ["HONE_OUTPUT"], "attempts")
            open(attempts, "a").write("start %s\\n" % n)
            print("training", flush=True)
            time.sleep(1.5)
            open(attempts, "a").write("done %s\\n" % n)
            print("accuracy=%s" % os.environ["HONE_PARAM_X"])
            """;

    @TempDir
    Path tmp;

    @Test
    void killMinus9MidStudyThenARestartCompletesTheStudyWithEachTrialExactlyOnce() throws Exception {
        Parts.requireDocker();
        GitFixture repo = new GitFixture(tmp, PROJECT);
        repo.write("main.py", MAIN).write("hone.yaml", """
                environment: {executor: docker, image: hone/python}
                metric: {name: accuracy, target: 0.99}
                tune: {strategy: grid, params: {x: [0.1, 0.2, 0.3, 0.4]}, max_trials: 4}
                """).commit("Four trials");
        repo.push("main");
        int port = Ports.free();
        Path config = config(tmp, port, repo);
        Path data = tmp.resolve("data");

        Process first = serve(tmp, config, data);
        queue(port, PROJECT);
        Path trial2 = data.resolve("runs/1/trials/2/output/attempts");
        Await.until(() -> Files.exists(trial2), "trial 2 to train");

        kill(first);
        try (Store store = Stores.open(data.resolve("hone.db").toString())) {
            assertThat(store.run(1).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
            assertThat(store.trials(1)).extracting(t -> t.trial().state())
                    .containsExactly(TrialState.SUCCEEDED, TrialState.RUNNING);
        }

        Process second = serve(tmp, config, data);
        try (Store store = Stores.open(data.resolve("hone.db").toString())) {
            assertThat(resumedToTheEnd(store).status()).isEqualTo(RunStatus.TARGET_MISSED);
            List<Trial> trials = store.trials(1).stream().map(t -> t.trial()).toList();
            assertThat(trials).extracting(Trial::number).containsExactly(1, 2, 3, 4);
            assertThat(trials).extracting(Trial::state).containsOnly(TrialState.SUCCEEDED);
            assertThat(trials.stream().map(t -> t.params().get("x")).distinct()).hasSize(4);
            for (int n = 1; n <= 4; n++) {
                assertThat(Files.readString(data.resolve("runs/1/trials/" + n + "/output/attempts")))
                        .as("trial %d ran to its end exactly once", n).isEqualTo("start " + n + "\ndone " + n + "\n");
            }
            assertThat(store.events(1)).extracting(EventRow::type)
                    .containsExactly(RunEvent.Resumed.TYPE, Notifiable.TARGET_MISSED.type());
            assertThat(store.events(1).getFirst().message())
                    .isEqualTo("hone serve started again: the run continues from its 2 recorded trials");
            Await.until(() -> !store.notifications(1).isEmpty(), "the notification");
            assertThat(store.notifications(1)).extracting(NotificationRow::event)
                    .containsExactly(Notifiable.TARGET_MISSED.type());
        } finally {
            stop(second);
        }
        assertThat(Docker.all("hone.project=" + PROJECT)).isEmpty();
    }

    @Test
    void aRebuildProgramsEditsSurviveTheKillAndTheResumedRunContinuesFromThem() throws Exception {
        Path data = tmp.resolve("data");
        Watched watched = levelProject("supervise-resume-script", """
                import os, time
                level = int(open("level.txt").read())
                print("training at level %d" % level, flush=True)
                time.sleep(1.5)
                print("accuracy=%.1f" % (level / 10))
                """, """
                level = int(open("level.txt").read())
                open("level.txt", "w").write("%d\\n" % (level + 1))
                """);

        Process first = serve(tmp, watched.config(), data);
        queue(watched.port(), "supervise-resume-script");
        Await.until(() -> Files.exists(data.resolve("runs/1/trials/3/train.log")), "trial 3 to train");
        kill(first);

        Process second = serve(tmp, watched.config(), data);
        try (Store store = Stores.open(data.resolve("hone.db").toString())) {
            assertThat(resumedToTheEnd(store).status()).isEqualTo(RunStatus.TARGET_REACHED);
            assertThat(store.trials(1).stream().map(t -> t.trial().value()).toList())
                    .as("each trial one level up from the one before, across the kill")
                    .containsExactly(0.1, 0.2, 0.3, 0.4, 0.5);
            assertThat(data.resolve("runs/1/workspace/level.txt")).hasContent("5");
        } finally {
            stop(second);
        }
    }

    @Test
    void aRebuildProgramStoppedMidwayHasItsEditsUndoneAndRunsAgainOnTheWorkspaceItFound() throws Exception {
        Path data = tmp.resolve("data");
        Path stoppedOnce = tmp.resolve("rebuild-3-started");
        Watched watched = levelProject("supervise-resume-midway", """
                level = int(open("level.txt").read())
                print("accuracy=%.1f" % (level / 10))
                """, """
                import os, time
                level = int(open("level.txt").read())
                open("level.txt", "w").write("%%d\\n" %% (level + 1))
                if level == 3 and not os.path.exists(%s):
                    open(%s, "w").write(str(os.getpid()))
                    time.sleep(300)  # Hone is killed now, before this program ends
                """.formatted(pyString(stoppedOnce), pyString(stoppedOnce)));

        Process first = serve(tmp, watched.config(), data);
        queue(watched.port(), "supervise-resume-midway");
        Await.until(() -> Files.exists(stoppedOnce), "the third rebuild to have edited the workspace");
        kill(first);
        assertThat(data.resolve("runs/1/workspace/level.txt")).hasContent("4");
        ProcessHandle orphan = ProcessHandle.of(Long.parseLong(Files.readString(stoppedOnce).strip())).orElseThrow();
        assertThat(orphan.isAlive()).as("the rebuild program outlives the killed hone").isTrue();

        Process second = serve(tmp, watched.config(), data);
        try (Store store = Stores.open(data.resolve("hone.db").toString())) {
            assertThat(resumedToTheEnd(store).status()).isEqualTo(RunStatus.TARGET_REACHED);
            assertThat(store.trials(1).stream().map(t -> t.trial().value()).toList())
                    .as("the stopped rebuild's edit is undone, so running it again raises the level once")
                    .containsExactly(0.1, 0.2, 0.3, 0.4, 0.5);
            assertThat(data.resolve("runs/1/workspace/level.txt")).hasContent("5");
            try (var left = Files.list(data.resolve("runs/1"))) {
                assertThat(left.map(p -> p.getFileName().toString()))
                        .as("no checkpoint is left once the run is over").noneMatch(n -> n.contains("before-trial"));
            }
            assertThat(Orphans.ended(orphan)).as("the resumed run stopped the rebuild program the killed hone left")
                    .isTrue();
        } finally {
            stop(second);
        }
    }

    /**
     * A repository whose trials score level/10 from {@code level.txt} (starting at 1) and whose rebuild program
     * raises the level, target 0.5; returns the config of a {@code hone serve} that watches it, and its port.
     */
    private Watched levelProject(String project, String main, String rebuild) throws Exception {
        GitFixture repo = new GitFixture(tmp, project);
        repo.write("level.txt", "1\n").write("main.py", main).write("rebuild.py", rebuild).write("hone.yaml", """
                environment: {executor: local}
                metric: {name: accuracy, target: 0.5}
                tune: {strategy: script, rebuild: python3 rebuild.py, max_trials: 8}
                """).commit("Raise the level until the target");
        repo.push("main");
        int port = Ports.free();
        return new Watched(config(tmp, port, repo), port);
    }

    private record Watched(Path config, int port) {}

    /** SIGKILL: no shutdown hook runs. */
    static void kill(Process hone) throws InterruptedException {
        hone.toHandle().destroyForcibly();
        assertThat(hone.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    static void stop(Process hone) throws InterruptedException {
        hone.destroy();
        hone.waitFor(60, TimeUnit.SECONDS);
    }

    /** Run 1 once it has ended (neither running nor queued). */
    static RunRow resumedToTheEnd(Store store) throws InterruptedException {
        Await.until(() -> store.run(1).map(RunRow::status).filter(s -> !s.live()).isPresent(),
                "the resumed run to end");
        return store.run(1).orElseThrow();
    }

    /** {@code path} as a Python string literal. */
    private static String pyString(Path path) {
        return "'" + path.toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    static Path config(Path tmp, int port, GitFixture repo) throws IOException {
        return Files.writeString(tmp.resolve("hone-server.yaml"), """
                listen: 127.0.0.1:%d
                api_token: %s
                repositories:
                  - url: %s
                    branches: [main]
                    poll: 0
                """.formatted(port, TOKEN, repo.url()));
    }

    static void queue(int port, String project) throws Exception {
        HttpResponse<String> queued = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/runs"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"project\": \"" + project + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(queued.statusCode()).as(queued.body()).isBetween(200, 202);
    }

    static Process serve(Path tmp, Path config, Path data) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", classpath, "dev.hone.cli.Main", "serve", "--config",
                config.toString(), "--data", data.toString()).redirectErrorStream(true);
        builder.environment().putAll(Map.of("HOME", tmp.toString()));
        Process hone = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(hone.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> serving = new CompletableFuture<>();
        StringBuilder said = new StringBuilder();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    said.append(line).append('\n');
                    if (line.contains("hone: serving on")) {
                        serving.complete(line);
                    }
                }
            } catch (IOException e) {
                // it ended
            }
            serving.complete(null);
        });
        assertThat(serving.get(60, TimeUnit.SECONDS)).as("hone serve started:\n%s", said).isNotNull();
        return hone;
    }
}
