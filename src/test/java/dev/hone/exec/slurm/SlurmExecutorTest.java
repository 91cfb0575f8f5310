package dev.hone.exec.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.error.EnvironmentException;
import dev.hone.exec.Executor;
import dev.hone.exec.ProcessRequest;
import dev.hone.exec.ProcessResult;
import dev.hone.exec.ProcessResult.Ending;
import dev.hone.exec.SessionConfig;
import dev.hone.exec.SessionEvents;
import dev.hone.spec.ServerSpec;
import dev.hone.testing.Parts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the Slurm executor adds to the executor contract, on the real cluster: job names, the environment kept off
 * command lines, a job cancelled from outside, a job its node lost run again under its number, no job left behind.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SlurmExecutorTest {

    private static final String SECRET = "tok-91c4e7b2";
    private static final Duration MINUTE = Duration.ofMinutes(1);

    @TempDir
    Path data;
    private Path runDir;
    private Path workspace;
    private final String run = "t" + UUID.randomUUID().toString().substring(0, 6);
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final SlurmCommands slurm = new SlurmCommands(System.getenv());
    private Executor.Session session;

    @BeforeAll
    static void needsSlurm() {
        Parts.requireSlurm();
    }

    @BeforeEach
    void open() throws IOException {
        runDir = Files.createDirectories(data.resolve("runs").resolve(run));
        workspace = Files.createDirectories(runDir.resolve("workspace"));
        session = new SlurmExecutor(System.getenv(), Map.of("PATH", System.getenv("PATH")),
                ServerSpec.DEFAULT_LOG_SIZE, SlurmExecutor.Options.DEFAULTS).open(workspace,
                new SessionConfig(run, "slurmtest", null, 1.0, 256L << 20, false, Map.of("API_TOKEN", SECRET),
                        Set.of(SECRET)));
    }

    @AfterEach
    void close() {
        session.close();
        if (slurm.run(List.of("sinfo", "-h", "-n", node(), "-o", "%T")).out().startsWith("down")) {
            slurm.run(List.of("scontrol", "update", "nodename=" + node(), "state=resume"));
        }
    }

    @Test
    void theJobIsNamedForItsTrialAndNeitherItsCommandLineNorScontrolShowsTheEnvironment() throws Exception {
        CountDownLatch ready = new CountDownLatch(1);
        CompletableFuture<ProcessResult> result = CompletableFuture.supplyAsync(() -> session.run(
                request(1, "echo \"ready $API_TOKEN\"; sleep 300", MINUTE, line -> ready.countDown())));
        assertThat(ready.await(1, TimeUnit.MINUTES)).as("the job started").isTrue();

        String id = jobId("hone-slurmtest-r" + run + "-t1");
        String shown = slurm.run(List.of("scontrol", "show", "job", id)).out();
        String processes = slurm.run(List.of("ps", "-eo", "args")).out();
        Path envFile = runDir.resolve("slurm/hone-slurmtest-r" + run + "-t1/env");
        assertThat(shown).contains("JobName=hone-slurmtest-r" + run + "-t1").contains("WorkDir=" + workspace)
                .doesNotContain(SECRET);
        assertThat(processes).doesNotContain(SECRET);
        assertThat(Files.getPosixFilePermissions(envFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(lines).containsExactly("ready ***");
        assertThat(result).as("the job runs on").isNotDone();
        assertThat(runDir.resolve("trials/1/train.log")).as("the live log (hone logs --follow, the dashboard)")
                .hasContent("ready ***");

        session.cancelAll();
        assertThat(result.get(1, TimeUnit.MINUTES).ending()).isEqualTo(Ending.KILLED);
        assertThat(envFile).as("the environment file once the job ended").doesNotExist();
    }

    @Test
    void aJobCancelledOutsideHoneFailsTheTrialSayingSo() throws Exception {
        CountDownLatch ready = new CountDownLatch(1);
        CompletableFuture<ProcessResult> result = CompletableFuture.supplyAsync(() -> session.run(
                request(2, "echo ready; sleep 300", MINUTE, line -> ready.countDown())));
        assertThat(ready.await(1, TimeUnit.MINUTES)).as("the job started").isTrue();
        String id = jobId("hone-slurmtest-r" + run + "-t2");

        assertThat(slurm.run(List.of("scancel", id)).ok()).isTrue();

        ProcessResult ended = result.get(1, TimeUnit.MINUTES);
        assertThat(ended.ending()).isEqualTo(Ending.KILLED);
        assertThat(ended.detail()).isEqualTo("killed: job " + id
                + " was cancelled outside Hone (scancel, or an administrator)");
    }

    @Test
    void aJobWhoseNodeFailsRunsAgainUnderItsNumberAndIsReportedOnce() throws Exception {
        List<SessionEvents.Requeue> requeues = new CopyOnWriteArrayList<>();
        session.watch(new SessionEvents() {
            @Override
            public void requeued(Requeue requeue) {
                requeues.add(requeue);
            }
        });
        CountDownLatch first = new CountDownLatch(1);
        ProcessRequest request = request(3, "if [ -e attempted ]; then echo second; else touch attempted;"
                + " echo first; sleep 300; fi", MINUTE, line -> {
                    if (line.equals("first")) {
                        first.countDown();
                    }
                });
        CompletableFuture<ProcessResult> result = CompletableFuture.supplyAsync(() -> session.run(request));
        assertThat(first.await(1, TimeUnit.MINUTES)).as("the first job started").isTrue();
        String lost = jobId("hone-slurmtest-r" + run + "-t3");

        // the node goes down under the job: Slurm ends it NODE_FAIL; the node comes back when slurmd answers
        assertThat(slurm.run(List.of("scontrol", "update", "nodename=" + node(), "state=down",
                "reason=hone-test")).ok()).isTrue();
        ProcessResult ended = result.get(2, TimeUnit.MINUTES);

        assertThat(ended.succeeded()).as(ended.toString()).isTrue();
        assertThat(requeues).hasSize(1);
        SessionEvents.Requeue requeue = requeues.getFirst();
        assertThat(requeue.job()).isEqualTo("hone-slurmtest-r" + run + "-t3");
        assertThat(requeue.lostJob()).isEqualTo(lost);
        assertThat(requeue.requeues()).isEqualTo(1);
        assertThat(requeue.reason()).startsWith("NODE_FAIL");
        assertThat(requeue.rerun()).containsExactly(request);
        assertThat(lines).containsSubsequence("first", "second");
        assertThat(Files.readString(runDir.resolve("trials/3/train.log"))).startsWith("first\n")
                .endsWith("--- hone: job " + lost + " lost: NODE_FAIL (NodeDown); re-running trial 3 as a new job ---\n"
                        + "second\n");
    }

    @Test
    void closingTheSessionLeavesNoJobOfTheRunInTheQueue() throws Exception {
        CountDownLatch ready = new CountDownLatch(2);
        List<CompletableFuture<ProcessResult>> results = List.of(4, 5).stream()
                .map(n -> CompletableFuture.supplyAsync(() -> session.run(request(n, "echo ready; sleep 300", MINUTE,
                        line -> ready.countDown())))).toList();
        assertThat(ready.await(1, TimeUnit.MINUTES)).as("both jobs started").isTrue();

        session.close();

        for (CompletableFuture<ProcessResult> result : results) {
            assertThat(result.get(1, TimeUnit.MINUTES).detail()).isEqualTo("killed: run cancelled");
        }
        assertThat(slurm.run(List.of("squeue", "-h", "-o", "%j")).out())
                .doesNotContain("hone-slurmtest-r" + run + "-");
    }

    @Test
    void theJobsARunLeftBehindAreCancelledByName() throws Exception {
        CountDownLatch ready = new CountDownLatch(1);
        CompletableFuture<ProcessResult> result = CompletableFuture.supplyAsync(() -> session.run(
                request(7, "echo ready; sleep 300", MINUTE, line -> ready.countDown())));
        assertThat(ready.await(1, TimeUnit.MINUTES)).as("the job started").isTrue();
        String id = jobId("hone-slurmtest-r" + run + "-t7");

        // what the next hone run does for a run whose hone run was killed
        assertThat(SlurmExecutor.cancelLeftovers(System.getenv(), workspace)).isEqualTo(1);

        assertThat(result.get(1, TimeUnit.MINUTES).detail()).isEqualTo("killed: job " + id
                + " was cancelled outside Hone (scancel, or an administrator)");
        assertThat(slurm.run(List.of("squeue", "-h", "-o", "%j")).out()).doesNotContain("hone-slurmtest-r" + run);
        assertThat(SlurmExecutor.cancelLeftovers(System.getenv(), data.resolve("no-such-run/workspace"))).isZero();
    }

    @Test
    void aJobSlurmCannotTakeFailsToStartWithSbatchsReason() {
        Executor.Session bad = new SlurmExecutor(System.getenv(), Map.of(), ServerSpec.DEFAULT_LOG_SIZE,
                new SlurmExecutor.Options("no-such-partition", null, null, null, List.of(), 0)).open(workspace,
                new SessionConfig(run, "slurmtest", null, null, null, false, Map.of()));

        ProcessResult result = bad.run(request(6, "echo never", MINUTE, line -> {}));

        assertThat(result.ending()).isEqualTo(Ending.FAILED_TO_START);
        assertThat(result.detail()).isEqualTo("sbatch refused job hone-slurmtest-r" + run
                + "-t6: sbatch: error: invalid partition specified: no-such-partition");
        bad.close();
    }

    @Test
    void aRunWhoseJobsCannotSeeTheSharedDirectoryFailsAtOnceSayingWhatToSet() throws IOException {
        // the probe job runs as nobody, for whom the directory is closed: as a node that does not mount it
        Path closed = Files.createDirectories(data.resolve("closed"));
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
        SlurmExecutor executor = new SlurmExecutor(System.getenv(), Map.of(), ServerSpec.DEFAULT_LOG_SIZE,
                new SlurmExecutor.Options(null, null, null, null, List.of("--uid=nobody"), 0)).probing(closed);

        assertThatThrownBy(() -> executor.open(workspace, new SessionConfig(run, "slurmtest", null, null, null, false,
                Map.of()))).isInstanceOf(EnvironmentException.class)
                .hasMessageStartingWith("slurm executor: the nodes cannot see " + closed + ": set slurm.shared_dir"
                        + " to a directory on the cluster's shared filesystem (the probe job ")
                .hasMessageEndingWith(" ended FAILED without copying a file there)");
        assertThat(closed.resolve(".hone-slurm-probe")).isEmptyDirectory();
    }

    @Test
    void aRunWhoseJobsSeeTheSharedDirectoryOpens() {
        Executor.Session probed = new SlurmExecutor(System.getenv(), Map.of(), ServerSpec.DEFAULT_LOG_SIZE,
                SlurmExecutor.Options.DEFAULTS).probing(data).open(workspace, new SessionConfig(run, "slurmtest",
                null, null, null, false, Map.of()));
        probed.close();

        assertThat(data.resolve(".hone-slurm-probe")).isEmptyDirectory();
    }

    /** Trial {@code trial}'s request; each line goes to {@link #lines}, then to {@code onLine}. */
    private ProcessRequest request(int trial, String command, Duration timeout, Consumer<String> onLine) {
        try {
            Path dir = Files.createDirectories(runDir.resolve("trials").resolve(Integer.toString(trial)));
            return new ProcessRequest(command, Map.of("HONE_TRIAL", Integer.toString(trial)),
                    dir.resolve("train.log"), timeout, line -> {
                        lines.add(line);
                        onLine.accept(line);
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String jobId(String name) {
        String out = slurm.run(List.of("squeue", "-h", "-n", name, "-o", "%i")).out().strip();
        assertThat(out).as("the job named " + name).matches("\\d+");
        return out;
    }

    private String node() {
        return slurm.run(List.of("hostname", "-s")).out().strip();
    }
}
