package dev.hone.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.exec.ProcessResult.Ending;
import dev.hone.run.Usage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link Executor} promises, run by each implementation (as {@code tune.SamplerContract} is by every
 * sampler): exit codes, output lines, masked secrets, the trial contract's environment, the workspace shared by the
 * trials of a run, and process trees ended on timeout and cancellation. An executor added later extends this class
 * and supplies {@link #executor()} (and, where it must, {@link #image()}).
 *
 * <p>The run directory is laid out as the pipeline lays it out ({@code <data>/runs/<id>/workspace} and
 * {@code <data>/runs/<id>/trials/<n>/}), since executors that mount or share it rely on that. Whether a process is
 * gone is asked of the executor itself, by a later command in the same session ({@code kill -0} on a pid file), so
 * the contract holds for executors whose processes run elsewhere (a container, a cluster node).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
public abstract class ExecutorContract {

    /** A secret in the session's environment ({@code SESSION_TOKEN}); every output must show it masked. */
    protected static final String SECRET = "tok-5e7c2a";
    private static final Duration MINUTE = Duration.ofMinutes(1);

    @TempDir
    protected Path data;
    protected Path runDir;
    protected Path workspace;
    protected final List<String> lines = new CopyOnWriteArrayList<>();
    private final String runId = "contract-" + UUID.randomUUID().toString().substring(0, 8);
    private Executor.Session session;
    private int trials;

    /** The executor under test. */
    protected abstract Executor executor();

    /** The image a container-based executor runs in; null where there is none. */
    protected String image() {
        return null;
    }

    /**
     * Whether the executor measures a command's CPU time and peak memory (a trial's {@code resources}). Every executor
     * should; one that does not yet overrides this with false, and the contract holds it to saying so: its usage is
     * the wall time only, from the "wall clock".
     */
    protected boolean measuresUsage() {
        return true;
    }

    @BeforeEach
    void openSession() throws IOException {
        runDir = Files.createDirectories(data.resolve("runs").resolve(runId));
        workspace = Files.createDirectories(runDir.resolve("workspace"));
        SessionConfig config = new SessionConfig(runId, "executor-contract", image(), 1.0, 512L * 1024 * 1024,
                false, Map.of("SESSION_VAR", "from-session", "SESSION_TOKEN", SECRET), Set.of(SECRET));
        session = executor().open(workspace, config);
    }

    @AfterEach
    void closeSession() {
        if (session != null) {
            session.close();
        }
    }

    @Test
    void reportsTheExitCodeOfACommandThatFails() {
        ProcessResult failed = run("echo failing; exit 3");
        ProcessResult passed = run("true");

        assertThat(failed.ending()).isEqualTo(Ending.EXITED);
        assertThat(failed.exitCode()).isEqualTo(3);
        assertThat(failed.succeeded()).isFalse();
        assertThat(failed.detail()).isNull();
        assertThat(passed.succeeded()).isTrue();
    }

    @Test
    void namesACommandThatIsNotFound() {
        ProcessResult result = run("no-such-trainer --fast");

        assertThat(result.exitCode()).isEqualTo(127);
        assertThat(result.detail()).isEqualTo("command not found: no-such-trainer (exit 127)");
    }

    @Test
    void handsEveryOutputLineInOrderToTheConsumerTheTailAndTheLog() throws IOException {
        int n = trials + 1;
        ProcessResult result = run("echo one; echo two >&2; printf 'three\\n'");

        assertThat(result.succeeded()).as(result.toString()).isTrue();
        assertThat(lines).containsExactly("one", "two", "three");
        assertThat(result.tail()).containsExactly("one", "two", "three");
        assertThat(Files.readString(log(n))).isEqualTo("one\ntwo\nthree\n");
    }

    @Test
    void masksTheSessionsSecretsInTheLogTheTailAndTheLines() throws IOException {
        int n = trials + 1;
        ProcessResult result = run("echo token=$SESSION_TOKEN; echo \"$SESSION_TOKEN twice $SESSION_TOKEN\"; exit 1");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.tail()).containsExactly("token=***", "*** twice ***");
        assertThat(lines).containsExactly("token=***", "*** twice ***");
        assertThat(Files.readString(log(n))).isEqualTo("token=***\n*** twice ***\n").doesNotContain(SECRET);
    }

    @Test
    void masksASecretThatALongLineIsCutAcross() throws IOException {
        int n = trials + 1;
        int before = OutputLines.MAX_LINE - 5; // the secret spans the 64 KiB cut
        ProcessResult result = run("head -c " + before + " /dev/zero | tr '\\0' x; printf %s \"$SESSION_TOKEN\"; "
                + "head -c 70000 /dev/zero | tr '\\0' y; echo");

        assertThat(result.succeeded()).as(result.toString()).isTrue();
        String whole = "x".repeat(before) + "***" + "y".repeat(70000);
        assertThat(String.join("", lines)).isEqualTo(whole);
        assertThat(lines).extracting(String::length).containsExactly(before + 3, OutputLines.MAX_LINE,
                70000 - OutputLines.MAX_LINE);
        assertThat(Files.readString(log(n))).isEqualTo(whole + "\n");
    }

    @Test
    void givesTheTrialTheContractsEnvironmentInTheWorkspace() throws IOException {
        int n = trials + 1;
        ProcessRequest request = trial(n, "pwd; echo $SESSION_VAR trial=$HONE_TRIAL run=$HONE_RUN"
                + " lr=$HONE_PARAM_LEARNING_RATE; cat $HONE_PARAMS; echo; echo model > $HONE_OUTPUT/model.txt; cat",
                MINUTE, Map.of("learning-rate", 0.05));

        ProcessResult result = session.run(request);

        assertThat(result.succeeded()).as(result.toString()).isTrue();
        assertThat(result.tail()).containsExactly(workspace.toString(),
                "from-session trial=" + n + " run=" + runId + " lr=0.05", "{\"learning-rate\":0.05}");
        assertThat(Files.readString(output(n).resolve("model.txt"))).isEqualTo("model\n");
    }

    @Test
    void editsMadeInTheWorkspaceReachTheNextTrialAndTheHost() throws IOException {
        ProcessResult rebuild = run("echo layers=3 > model.cfg");
        ProcessResult next = run("cat model.cfg");

        assertThat(rebuild.succeeded()).as(rebuild.toString()).isTrue();
        assertThat(next.tail()).containsExactly("layers=3");
        assertThat(Files.readString(workspace.resolve("model.cfg"))).isEqualTo("layers=3\n");
    }

    @Test
    void aTimeoutKillsTheCommandAndEveryProcessItStarted() {
        int n = trials + 1;
        ProcessResult result = session.run(trial(n, "sh -c 'sleep 300' & echo $! > $HONE_OUTPUT/child.pid;"
                + " echo started; sleep 300", Duration.ofSeconds(3), Map.of()));

        // 3 s, not 1: on a loaded machine a pod or a container took over a second to print its first line
        assertThat(result.ending()).isEqualTo(Ending.TIMED_OUT);
        assertThat(result.detail()).isEqualTo("timed out after 3s");
        assertThat(result.tail()).containsExactly("started");
        assertThat(alive(output(n).resolve("child.pid"))).as("the background child after the timeout").isFalse();
    }

    @Test
    void cancelStopsOneRequestsProcessTreeAndCancelAllStopsTheRest() throws Exception {
        CountDownLatch started = new CountDownLatch(3);
        List<ProcessRequest> requests = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ProcessRequest base = trial(++trials, "sleep 300 & echo $! > $HONE_OUTPUT/child.pid; echo started;"
                    + " sleep 300", MINUTE, Map.of());
            requests.add(new ProcessRequest(base.command(), base.env(), base.logFile(), base.timeout(),
                    line -> started.countDown()));
        }
        List<CompletableFuture<ProcessResult>> results = requests.stream()
                .map(r -> CompletableFuture.supplyAsync(() -> session.run(r))).toList();
        assertThat(started.await(1, TimeUnit.MINUTES)).as("all three started").isTrue();

        session.cancel(requests.getFirst());
        ProcessResult first = results.getFirst().get(1, TimeUnit.MINUTES);
        assertThat(first.ending()).isEqualTo(Ending.KILLED);
        assertThat(first.detail()).isEqualTo("killed: stopped early");
        assertThat(results.get(1)).as("another request").isNotDone();
        assertThat(alive(output(trials - 2).resolve("child.pid"))).as("the cancelled request's child").isFalse();

        session.cancelAll();
        for (CompletableFuture<ProcessResult> result : results.subList(1, 3)) {
            assertThat(result.get(1, TimeUnit.MINUTES).detail()).isEqualTo("killed: run cancelled");
        }
        assertThat(alive(output(trials).resolve("child.pid"))).as("a child after cancelAll").isFalse();
    }

    @Test
    void runsTheRequestsOfOneSessionAtOnce() throws Exception {
        // each waits until all three have started: run one after another, the first would wait until its timeout
        String barrier = "touch started-$HONE_TRIAL; until [ $(ls started-* | wc -l) -ge 3 ]; do sleep 0.05; done;"
                + " echo all-started";
        List<ProcessRequest> requests = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            requests.add(trial(++trials, barrier, Duration.ofSeconds(60), Map.of()));
        }
        List<CompletableFuture<ProcessResult>> results = requests.stream()
                .map(r -> CompletableFuture.supplyAsync(() -> session.run(r))).toList();

        for (CompletableFuture<ProcessResult> result : results) {
            ProcessResult ended = result.get(2, TimeUnit.MINUTES);
            assertThat(ended.succeeded()).as(ended.toString()).isTrue();
            assertThat(ended.tail()).containsExactly("all-started");
        }
    }

    @Test
    void measuresTheCpuTimeAndPeakMemoryOfATrial() {
        // 100 MiB filled (so it is resident), then 0.5 s of CPU time burnt while it is held
        ProcessResult result = run("python3 -c \"import time; held = bytearray(b'x') * (100 * 1024 * 1024);"
                + " start = time.process_time()\nwhile time.process_time() - start < 0.5: pass\nprint(len(held))\"");

        assertThat(result.succeeded()).as(result.toString()).isTrue();
        Usage usage = result.usage();
        assertThat(usage.wall()).isEqualTo(result.duration());
        if (!measuresUsage()) {
            assertThat(usage).isEqualTo(Usage.wallOnly(result.duration()));
            return;
        }
        assertThat(usage.cpu()).as(usage.toString()).isBetween(Duration.ofMillis(300), Duration.ofSeconds(10));
        assertThat(usage.peakMemoryBytes()).as(usage.toString()).isBetween(80L << 20, 1L << 30);
        assertThat(usage.gpuMemoryPeakBytes()).isNull();
        assertThat(usage.gpuUtilizationMean()).isNull();
        assertThat(usage.source()).as(usage.toString()).isNotBlank().isNotEqualTo("wall clock");
    }

    @Test
    void refusesToStartOnceTheSessionIsClosed() {
        session.close();

        ProcessResult result = run("echo never");

        assertThat(result.ending()).isEqualTo(Ending.FAILED_TO_START);
        assertThat(result.detail()).isEqualTo("the session is closed: the run was cancelled or has ended");
        assertThat(lines).isEmpty();
    }

    /** Runs {@code command} as the next trial, without parameters, and waits for its end. */
    private ProcessResult run(String command) {
        return session.run(trial(++trials, command, MINUTE, Map.of()));
    }

    /** Trial {@code n}'s request, its directories and parameters made as the pipeline makes them. */
    private ProcessRequest trial(int n, String command, Duration timeout, Map<String, Object> params) {
        trials = Math.max(trials, n);
        try {
            Path output = Files.createDirectories(output(n));
            Path paramsFile = output.resolveSibling("params.json");
            Files.writeString(paramsFile, TrialContract.paramsJson(params));
            Map<String, String> env = new LinkedHashMap<>(TrialContract.environment(n, runId, paramsFile, output,
                    params));
            return new ProcessRequest(TrialContract.expand(command, params), env, log(n), timeout, lines::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path output(int n) {
        return runDir.resolve("trials").resolve(Integer.toString(n)).resolve("output");
    }

    private Path log(int n) {
        return runDir.resolve("trials").resolve(Integer.toString(n)).resolve("train.log");
    }

    /**
     * Whether the process whose pid a trial wrote to {@code pidFile} is still alive, as the session sees it. A zombie
     * counts as gone: it has ended and waits only for whoever adopted it to reap it.
     */
    private boolean alive(Path pidFile) {
        ProcessResult check = session.run(new ProcessRequest("state=Z; { read -r _ _ state _ < /proc/$(cat " + pidFile
                + ")/stat; } 2>/dev/null; [ \"$state\" = Z ] && echo gone || echo alive", Map.of(),
                runDir.resolve("check.log"), MINUTE, line -> {}));
        assertThat(check.tail()).as(check.toString()).hasSize(1);
        return check.tail().getFirst().equals("alive");
    }
}
