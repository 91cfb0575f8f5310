package dev.hone.exec.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.hone.exec.Executor;
import dev.hone.exec.ProcessRequest;
import dev.hone.exec.ProcessResult.Ending;
import dev.hone.exec.ProcessResult;
import dev.hone.exec.SessionEvents;
import dev.hone.restart.RestartPolicy;
import dev.hone.time.Backoff;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A workspace container that dies under a trial is started again with the same configuration; the trial re-runs. */
@ExtendWith(DockerAvailable.class)
class RelaunchTest {

    /** First run: says "started" and trains until killed; the run after the restart finds its mark and ends. */
    static final String ONCE = "if [ -e $HONE_OUTPUT/first ]; then echo second run; echo accuracy=0.9;"
            + " else touch $HONE_OUTPUT/first; echo started; sleep 300; fi";

    @TempDir
    Path data;

    @Test
    void dockerKillMidTrialStartsTheSameContainerAgainWithinASecondAndTheTrialRunsAgain() throws Exception {
        Runs run = new Runs(data);
        List<SessionEvents.Restart> restarts = new CopyOnWriteArrayList<>();
        CompletableFuture<Long> restartedAt = new CompletableFuture<>();
        try (Executor.Session session = new DockerExecutor(System.getenv()).open(run.workspace,
                run.config("hone/python", 512L * 1024 * 1024, false))) {
            session.watch(new SessionEvents() {
                @Override
                public void restarted(SessionEvents.Restart restart) {
                    restarts.add(restart);
                    restartedAt.complete(System.nanoTime());
                }
            });
            ProcessRequest trial = run.trial(3, ONCE, Duration.ofMinutes(1));
            CompletableFuture<ProcessResult> result = CompletableFuture.supplyAsync(() -> session.run(trial));
            awaitLine(run, "started");
            String first = ((DockerSession) session).containerId();
            InspectContainerResponse before = inspect(first);

            docker("kill", first);
            restartedAt.get(30, TimeUnit.SECONDS);
            ProcessResult ended = result.get(60, TimeUnit.SECONDS);

            assertThat(ended.succeeded()).as(ended.toString()).isTrue();
            assertThat(ended.tail()).containsExactly("second run", "accuracy=0.9");
            String second = ((DockerSession) session).containerId();
            assertThat(second).isNotEqualTo(first);
            assertSameConfiguration(before, inspect(second));
            assertThat(restarts).singleElement().satisfies(r -> {
                assertThat(r.reason()).isEqualTo("exit 137, killed by SIGKILL");
                assertThat(r.inARow()).isEqualTo(1);
                assertThat(r.container()).isEqualTo(second.substring(0, 12));
                assertThat(r.rerun()).containsExactly(trial);
            });
            assertThat(Files.readString(trial.logFile())).isEqualTo("started\n"
                    + "--- hone: container restarted (exit 137, killed by SIGKILL); re-running trial 3 ---\n"
                    + "second run\naccuracy=0.9\n");
            assertThat(session.run(run.trial(4, "echo still here", null)).tail()).containsExactly("still here");
        }
        assertThat(run.containersGoneWithin(15)).isTrue();
    }

    @Test
    void aContainerThatKeepsDyingIsGivenUpOnAfterItsBackoffAndTheTrialFailsWithTheReason() throws Exception {
        Runs run = new Runs(data);
        List<Duration> waits = new CopyOnWriteArrayList<>();
        RestartPolicy policy = new RestartPolicy(RestartPolicy.Mode.ON_FAILURE, 2,
                Backoff.doubling(Duration.ofMillis(300), Duration.ofSeconds(5)), Duration.ofSeconds(30));
        DockerExecutor executor = new DockerExecutor(System.getenv(),
                DockerExecutor.Options.DEFAULTS.withRestarts(policy), InstantSource.system(), d -> {
                    waits.add(d);
                    Thread.sleep(d);
                });
        List<SessionEvents.GaveUp> gaveUp = new CopyOnWriteArrayList<>();
        try (Executor.Session session = executor.open(run.workspace, run.config("hone/python", null, false))) {
            session.watch(new SessionEvents() {
                @Override
                public void restarted(SessionEvents.Restart restart) {
                    docker("kill", restart.container()); // dies again as soon as it runs
                }

                @Override
                public void gaveUp(SessionEvents.GaveUp g) {
                    gaveUp.add(g);
                }
            });
            ProcessRequest trial = run.trial(1, "echo started; sleep 300", Duration.ofMinutes(1));
            CompletableFuture<ProcessResult> result = CompletableFuture.supplyAsync(() -> session.run(trial));
            awaitLine(run, "started");

            long start = System.nanoTime();
            docker("kill", ((DockerSession) session).containerId());
            ProcessResult ended = result.get(60, TimeUnit.SECONDS);

            assertThat(Duration.ofNanos(System.nanoTime() - start)).as(ended + " " + waits)
                    .isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(waits).containsExactly(Duration.ZERO, Duration.ofMillis(300));
            assertThat(ended.ending()).isEqualTo(Ending.FAILED_TO_START);
            assertThat(ended.detail()).startsWith("the workspace container gave up after 2 restarts: ");
            assertThat(gaveUp).singleElement().satisfies(g -> assertThat(g.restarts()).isEqualTo(2));
            assertThat(session.run(run.trial(2, "echo refused", null)).detail()).isEqualTo(ended.detail());
            assertThat(Files.readString(trial.logFile())).endsWith("--- hone: " + ended.detail()
                    + "; trial 1 not run again ---\n");
        }
        assertThat(run.containersGoneWithin(15)).isTrue();
    }

    @Test
    void aContainerRemovedFromOutsideIsStartedAgainAndItsTrialRunsAgain() throws Exception {
        Runs run = new Runs(data);
        try (Executor.Session session = new DockerExecutor(System.getenv()).open(run.workspace,
                run.config("hone/python", null, false))) {
            ProcessRequest trial = run.trial(1, ONCE, Duration.ofMinutes(1));
            CompletableFuture<ProcessResult> result = CompletableFuture.supplyAsync(() -> session.run(trial));
            awaitLine(run, "started");

            docker("rm", "-f", ((DockerSession) session).containerId());

            ProcessResult ended = result.get(60, TimeUnit.SECONDS);
            assertThat(ended.succeeded()).as(ended.toString()).isTrue();
            assertThat(Files.readString(trial.logFile())).contains("--- hone: container restarted (exit 137, killed"
                    + " by SIGKILL); re-running trial 1 ---\nsecond run\n");
        }
    }

    @Test
    void aDaemonRestartThatTookTheContainerIsRiddenOutAndTheTrialRunsAgain() throws Exception {
        Runs run = new Runs(data);
        Path socket = data.resolve("docker.sock");
        DaemonProxy daemon = new DaemonProxy(socket, Path.of("/var/run/docker.sock"));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("DOCKER_HOST", daemon.host());
        DaemonProxy[] back = new DaemonProxy[1];
        try (Executor.Session session = new DockerExecutor(env, DockerExecutor.Options.DEFAULTS.withDaemonGrace(
                Duration.ofSeconds(30))).open(run.workspace, run.config("hone/python", null, false))) {
            ProcessRequest trial = run.trial(1, ONCE, Duration.ofMinutes(1));
            CompletableFuture<ProcessResult> result = CompletableFuture.supplyAsync(() -> session.run(trial));
            awaitLine(run, "started");
            String id = ((DockerSession) session).containerId();

            daemon.close(); // the daemon goes down for a restart, and its containers with it
            docker("kill", id);
            Thread.sleep(2 * DaemonWatch.INTERVAL.toMillis() + 500); // down for a while, as a restart is
            assertThat(result).isNotDone();
            back[0] = new DaemonProxy(socket, Path.of("/var/run/docker.sock"));

            ProcessResult ended = result.get(60, TimeUnit.SECONDS);
            assertThat(ended.succeeded()).as(ended.toString()).isTrue();
            assertThat(ended.tail()).containsExactly("second run", "accuracy=0.9");
            assertThat(((DockerSession) session).containerId()).isNotEqualTo(id);
        } finally {
            if (back[0] != null) {
                back[0].close();
            }
        }
        assertThat(run.containersGoneWithin(15)).isTrue();
    }

    static void assertSameConfiguration(InspectContainerResponse a, InspectContainerResponse b) {
        assertThat(b.getConfig().getImage()).isEqualTo(a.getConfig().getImage());
        assertThat(b.getImageId()).isEqualTo(a.getImageId());
        assertThat(b.getConfig().getLabels()).isEqualTo(a.getConfig().getLabels());
        assertThat(b.getConfig().getEnv()).containsExactly(a.getConfig().getEnv());
        assertThat(b.getConfig().getUser()).isEqualTo(a.getConfig().getUser());
        assertThat(b.getConfig().getWorkingDir()).isEqualTo(a.getConfig().getWorkingDir());
        assertThat(b.getConfig().getCmd()).containsExactly(a.getConfig().getCmd());
        assertThat(b.getConfig().getEntrypoint()).containsExactly(a.getConfig().getEntrypoint());
        assertThat(b.getHostConfig().getMemory()).isEqualTo(a.getHostConfig().getMemory()).isEqualTo(512L << 20);
        assertThat(b.getHostConfig().getMemorySwap()).isEqualTo(a.getHostConfig().getMemorySwap());
        assertThat(b.getHostConfig().getNanoCPUs()).isEqualTo(a.getHostConfig().getNanoCPUs());
        assertThat(b.getHostConfig().getPidsLimit()).isEqualTo(a.getHostConfig().getPidsLimit());
        assertThat(b.getHostConfig().getNetworkMode()).isEqualTo(a.getHostConfig().getNetworkMode());
        assertThat(b.getHostConfig().getBinds()).containsExactly(a.getHostConfig().getBinds());
        assertThat(b.getHostConfig().getCapDrop()).containsExactly(a.getHostConfig().getCapDrop());
        assertThat(b.getHostConfig().getSecurityOpts()).isEqualTo(a.getHostConfig().getSecurityOpts());
    }

    static InspectContainerResponse inspect(String id) throws Exception {
        try (DockerClient client = Docker.client(System.getenv(), Duration.ofSeconds(10))) {
            return client.inspectContainerCmd(id).exec();
        }
    }

    static void docker(String... args) {
        try {
            String[] command = new String[args.length + 1];
            command[0] = "docker";
            System.arraycopy(args, 0, command, 1, args.length);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static void awaitLine(Runs run, String line) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!run.lines.contains(line) && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(run.lines).contains(line);
    }
}
