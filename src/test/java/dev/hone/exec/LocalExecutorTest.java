package dev.hone.exec;

import static dev.hone.exec.Processes.await;
import static dev.hone.exec.Processes.running;
import static dev.hone.exec.Processes.sleepMarker;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.exec.ProcessResult.Ending;
import dev.hone.spec.ServerSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalExecutorTest {

    private static final Map<String, String> BASE_ENV = Map.of("PATH", System.getenv("PATH"));
    private static final Duration GRACE = Duration.ofMillis(300);
    /** Guards every request so a broken executor fails the test instead of hanging it. */
    private static final Duration GUARD = Duration.ofSeconds(30);
    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    @TempDir
    Path workspace;
    Path log;
    Executor.Session session;
    final List<String> lines = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        log = workspace.resolve("logs/run.log");
        session = new LocalExecutor(BASE_ENV, GRACE).open(workspace, config(Map.of()));
    }

    @AfterEach
    void close() {
        session.close();
        Processes.killLeftovers();
    }

    @Test
    void isTheLocalKind() {
        assertThat(new LocalExecutor(BASE_ENV).kind()).isEqualTo("local");
    }

    @Test
    void stopLeftoversStopsWhatADeadProcessLeftRunningOnTheWorkspaceAndNothingElse() throws IOException {
        String ours = sleepMarker();
        String theirs = sleepMarker();
        Process left = start(ours, workspace);
        Process other = start(theirs, workspace.resolveSibling(workspace.getFileName() + "-other"));

        assertThat(LocalExecutor.stopLeftovers(workspace)).isEqualTo(1);

        await("the leftover is stopped", PROMPTLY, () -> !left.isAlive());
        assertThat(running(theirs)).as("another workspace's process").hasSize(1);
        other.destroyForcibly();
        assertThat(LocalExecutor.stopLeftovers(workspace)).isZero();
    }

    /** A {@code sleep} as a session on {@code dir} starts it, parent aside. */
    private static Process start(String marker, Path dir) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("sleep", marker);
        builder.environment().put(ProcessTree.WORKSPACE_VARIABLE, dir.toAbsolutePath().normalize().toString());
        return builder.start();
    }

    @Nested
    class Output {

        @Test
        void streamsStdoutAndStderrLinesInOrderToTheConsumerAndTheLog() throws IOException {
            ProcessResult result = session.run(request("echo one; echo two >&2; printf 'three\\n'"));

            assertThat(result.ending()).isEqualTo(Ending.EXITED);
            assertThat(result.succeeded()).isTrue();
            assertThat(result.detail()).isNull();
            assertThat(lines).containsExactly("one", "two", "three");
            assertThat(result.tail()).containsExactly("one", "two", "three");
            assertThat(Files.readString(log)).isEqualTo("one\ntwo\nthree\n");
        }

        @Test
        void createsTheLogFilesDirectories() throws IOException {
            Path nested = workspace.resolve("runs/7/trials/3/trial.log");

            session.run(new ProcessRequest("echo hi", Map.of(), nested, GUARD, line -> {}));

            assertThat(Files.readString(nested)).isEqualTo("hi\n");
        }

        @Test
        void deliversLinesAndWritesTheLogWhileTheCommandRuns() throws Exception {
            String marker = sleepMarker();
            CompletableFuture<ProcessResult> result = runAsync(request("echo started; sleep " + marker));

            await("the consumer got the first line", PROMPTLY, () -> lines.contains("started"));
            await("another reader sees it in the log", PROMPTLY, () -> logContains("started\n"));
            assertThat(result).isNotDone();

            session.cancelAll();
            assertThat(result.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS).ending()).isEqualTo(Ending.KILLED);
        }

        @Test
        void keepsTheLastFortyLinesAsTheTail() throws IOException {
            ProcessResult result = session.run(request("seq 1 100"));

            assertThat(result.tail()).hasSize(ProcessResult.TAIL_LINES)
                    .first().isEqualTo("61");
            assertThat(result.tail()).last().isEqualTo("100");
            assertThat(Files.readAllLines(log)).hasSize(100);
        }

        @Test
        void endsALineAtACarriageReturnAndKeepsItInTheLog() throws IOException {
            session.run(request("printf 'a\\rb\\r\\nc'"));

            assertThat(lines).containsExactly("a", "b", "c");
            assertThat(Files.readString(log)).isEqualTo("a\rb\r\nc");
        }

        @Test
        void keepsReadingWhenTheConsumerFails() throws IOException {
            ProcessResult result = session.run(new ProcessRequest("seq 1 3", Map.of(), log, GUARD, line -> {
                throw new IllegalStateException("broken consumer");
            }));

            assertThat(result.succeeded()).isTrue();
            assertThat(result.tail()).containsExactly("1", "2", "3");
            assertThat(Files.readString(log)).isEqualTo("1\n2\n3\n");
        }

        @Test
        void masksTheSessionsSecretsInTheLogTheTailAndTheConsumer() throws IOException {
            SessionConfig config = new SessionConfig("run-1", "demo", null, null, null, true,
                    Map.of("API_TOKEN", "tok-7f3a9c", "DB_URL", "postgres://u:pw-4242@db/x"),
                    Set.of("tok-7f3a9c", "pw-4242", "postgres://u:pw-4242@db/x"));
            try (Executor.Session masked = new LocalExecutor(BASE_ENV, GRACE).open(workspace, config)) {
                ProcessResult result = masked.run(request("echo \"token=$API_TOKEN\"; echo \"$API_TOKEN and "
                        + "$API_TOKEN\" >&2; printf 'db %s\\r\\npw %s\\rend' \"$DB_URL\" pw-4242"));

                assertThat(result.succeeded()).isTrue();
                assertThat(lines).containsExactly("token=***", "*** and ***", "db ***", "pw ***", "end");
                assertThat(result.tail()).containsExactly("token=***", "*** and ***", "db ***", "pw ***", "end");
                assertThat(Files.readString(log)).isEqualTo("token=***\n*** and ***\ndb ***\r\npw ***\rend");
            }
        }

        @Test
        void givesTheCommandAnEmptyStandardInput() {
            ProcessResult result = session.run(request("cat; echo after"));

            assertThat(result.succeeded()).isTrue();
            assertThat(lines).containsExactly("after");
        }
    }

    @Nested
    class Environment {

        @Test
        void layersTheBaseTheSessionAndTheRequestEnvironments() {
            Map<String, String> base = Map.of("PATH", System.getenv("PATH"), "BASE", "b", "SHARED", "base");
            try (Executor.Session layered = new LocalExecutor(base, GRACE)
                    .open(workspace, config(Map.of("CONF", "c", "SHARED", "session")))) {
                ProcessResult result = layered.run(new ProcessRequest("echo \"$BASE $CONF $SHARED\"",
                        Map.of("SHARED", "request"), null, GUARD, lines::add));

                assertThat(result.succeeded()).isTrue();
                assertThat(lines).containsExactly("b c request");
            }
        }

        @Test
        void startsFromTheGivenBaseNotTheServersEnvironment() {
            session.run(request("echo \"${HOME-no home}\""));

            assertThat(lines).containsExactly("no home");
        }

        @Test
        void runsInTheWorkspace() throws IOException {
            session.run(request("pwd -P"));

            assertThat(lines).containsExactly(workspace.toRealPath().toString());
        }
    }

    @Nested
    class Endings {

        @Test
        void namesAScriptThatIsNotExecutable() throws IOException {
            Files.writeString(workspace.resolve("train.sh"), "echo trained\n");

            ProcessResult result = session.run(request("./train.sh"));

            assertThat(result.exitCode()).isEqualTo(126);
            assertThat(result.detail()).isEqualTo("permission denied: ./train.sh (exit 126): make it executable"
                    + " (chmod +x) or run it with its interpreter");
        }

        @Test
        void failsToStartInAWorkspaceThatDoesNotExist() {
            Path missing = workspace.resolve("gone");
            try (Executor.Session elsewhere = new LocalExecutor(BASE_ENV, GRACE).open(missing, config(Map.of()))) {
                ProcessResult result = elsewhere.run(request("echo never"));

                assertThat(result.ending()).isEqualTo(Ending.FAILED_TO_START);
                assertThat(result.exitCode()).isEqualTo(-1);
                assertThat(result.detail()).isEqualTo("workspace " + missing + " does not exist or is not a directory");
                assertThat(lines).isEmpty();
            }
        }

        @Test
        void failsToStartWhenTheLogCannotBeWritten() throws IOException {
            Path file = Files.writeString(workspace.resolve("not-a-dir"), "");

            ProcessResult result = session.run(new ProcessRequest("echo never", Map.of(), file.resolve("run.log"),
                    GUARD, lines::add));

            assertThat(result.ending()).isEqualTo(Ending.FAILED_TO_START);
            assertThat(result.detail()).startsWith("cannot write the log file " + file.resolve("run.log") + ": ");
        }
    }

    @Nested
    class Timeouts {

        @Test
        void killsTheCommandAndEveryProcessItStarted() {
            String child = sleepMarker();
            String grandchild = sleepMarker();
            ProcessResult result = session.run(new ProcessRequest(
                    "sh -c 'sleep " + grandchild + "' & echo started; sleep " + child,
                    Map.of(), log, Duration.ofMillis(500), lines::add));

            assertThat(result.ending()).isEqualTo(Ending.TIMED_OUT);
            assertThat(result.detail()).isEqualTo("timed out after 500ms");
            assertThat(result.exitCode()).isEqualTo(-1);
            assertThat(result.tail()).containsExactly("started");
            assertThat(result.duration()).isBetween(Duration.ofMillis(500), PROMPTLY);
            assertThat(running(child)).isEmpty();
            assertThat(running(grandchild)).isEmpty();
        }

        @Test
        void forceKillsProcessesThatIgnoreTerm() {
            String marker = sleepMarker();
            ProcessResult result = session.run(new ProcessRequest(
                    "trap '' TERM; (sleep " + marker + "; echo survived) & echo started; wait",
                    Map.of(), log, Duration.ofMillis(500), lines::add));

            assertThat(result.ending()).isEqualTo(Ending.TIMED_OUT);
            assertThat(result.duration()).isBetween(Duration.ofMillis(500).plus(GRACE), PROMPTLY);
            assertThat(result.tail()).containsExactly("started");
            assertThat(running(marker)).isEmpty();
        }

        @Test
        void formatsTheTimeoutForPeople() {
            ProcessResult result = session.run(new ProcessRequest("sleep " + sleepMarker(), Map.of(), log,
                    Duration.ofMillis(1500), lines::add));

            assertThat(result.detail()).isEqualTo("timed out after 1.5s");
        }
    }

    /** Which isolation local trials get: the line {@code hone run --verbose} prints. */
    @Nested
    class Isolation {

        static final String NONE = "local trials: no cgroup available (%s); a process that leaves the trial's "
                + "process tree and clears its environment may outlive it";

        @Test
        void onThisMachineIsEachTrialInItsOwnCgroupWhereCgroupV2IsMountedAndWritable() {
            Path root = Files.exists(Path.of("/sys/fs/cgroup/unified/cgroup.controllers"))
                    ? Path.of("/sys/fs/cgroup/unified") : Path.of("/sys/fs/cgroup");
            if (!Files.exists(root.resolve("cgroup.controllers"))) {
                assertThat(LocalExecutor.isolation()).isEqualTo(NONE.formatted("no cgroup v2 hierarchy is mounted"));
            } else if (Files.isWritable(root.resolve("cgroup.procs"))) {
                assertThat(LocalExecutor.isolation())
                        .isEqualTo("local trials: each in its own cgroup (cgroup v2 at " + root + ")");
            } else {
                assertThat(LocalExecutor.isolation()).startsWith("local trials: no cgroup available (cannot ");
            }
        }

        @Test
        void whereTheRootIsNoCgroupTheLineSaysWhyAndCommandsAreFoundAsBefore(@TempDir Path notACgroup)
                throws IOException {
            Cgroups.Availability none = Cgroups.under(notACgroup, "/");

            assertThat(none.line()).isEqualTo(NONE.formatted(notACgroup + " is not a cgroup v2 hierarchy"));
            assertThat(none.cgroups()).isEmpty();
            String marker = sleepMarker();
            try (Executor.Session plain = new LocalExecutor(BASE_ENV, GRACE, ServerSpec.DEFAULT_LOG_SIZE, none)
                    .open(workspace, config(Map.of()))) {
                ProcessResult result = plain.run(request("setsid sleep " + marker + " >/dev/null 2>&1 & echo started"));

                assertThat(result.tail()).containsExactly("started");
                assertThat(running(marker)).as("a process that left the tree but kept its environment").isEmpty();
            }
            try (var left = Files.list(notACgroup)) {
                assertThat(left).as("nothing created in what is not a cgroup").isEmpty();
            }
        }
    }

    @Nested
    class LeftBehind {

        @Test
        void aDaemonThatDetachesAndClearsItsEnvironmentDoesNotOutliveTheCommand() throws IOException {
            // Only a cgroup can hold it: where the machine has none, the line of hone run --verbose says so instead
            // (tested below), so this is skipped there, in CI too.
            Assumptions.assumeTrue(LocalExecutor.isolation().startsWith("local trials: each in its own cgroup"),
                    LocalExecutor.isolation());
            String marker = sleepMarker();

            ProcessResult result = session.run(request(
                    "setsid env -i sh -c 'echo $$ > daemon.pid; exec sleep " + marker + "' & "
                            + "while [ ! -s daemon.pid ]; do sleep 0.01; done; echo started"));

            assertThat(result.ending()).isEqualTo(Ending.EXITED);
            assertThat(result.tail()).containsExactly("started");
            long daemon = Long.parseLong(Files.readString(workspace.resolve("daemon.pid")).trim());
            await("the daemon " + daemon + " is gone", PROMPTLY, () -> running(marker).isEmpty());
        }

        @Test
        void aBackgroundProcessHoldingTheOutputDoesNotKeepTheCommandRunning() {
            String marker = sleepMarker();

            // The pause lets the output reader block on the pipe the background sleep keeps open.
            ProcessResult result = session.run(request("sleep " + marker + " & echo started; sleep 0.3"));

            assertThat(result.ending()).isEqualTo(Ending.EXITED);
            assertThat(result.exitCode()).isZero();
            assertThat(result.tail()).containsExactly("started");
            assertThat(result.duration()).isLessThan(Duration.ofMillis(300).plus(GRACE).plusSeconds(1));
            assertThat(running(marker)).isEmpty();
        }

        @Test
        void aBackgroundProcessIsStoppedEvenWhenItLeftTheSessionAndTheOutput() {
            String marker = sleepMarker();

            ProcessResult result = session.run(request("setsid sleep " + marker + " >/dev/null 2>&1 &"));

            assertThat(result.succeeded()).isTrue();
            assertThat(running(marker)).isEmpty();
        }
    }

    @Nested
    class Cancellation {

        @Test
        void cancelAllFromAnotherThreadKillsTheRunningCommand() throws Exception {
            String marker = sleepMarker();
            CompletableFuture<ProcessResult> result = runAsync(request("echo started; sleep " + marker));
            await("the command started", PROMPTLY, () -> logContains("started"));

            session.cancelAll();

            ProcessResult killed = result.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS);
            assertThat(killed.ending()).isEqualTo(Ending.KILLED);
            assertThat(killed.detail()).isEqualTo("killed: run cancelled");
            assertThat(killed.exitCode()).isEqualTo(-1);
            assertThat(running(marker)).isEmpty();
        }

        @Test
        void cancelAllKillsEveryRunningCommand() throws Exception {
            String marker = sleepMarker();
            List<CompletableFuture<ProcessResult>> results = IntStream.range(0, 3)
                    .mapToObj(i -> runAsync(new ProcessRequest("echo started; sleep " + marker, Map.of(),
                            workspace.resolve("logs/" + i + ".log"), GUARD, lines::add)))
                    .toList();
            await("all three started", PROMPTLY, () -> lines.size() == 3);

            session.cancelAll();

            for (CompletableFuture<ProcessResult> result : results) {
                assertThat(result.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS).ending()).isEqualTo(Ending.KILLED);
            }
            assertThat(running(marker)).isEmpty();
        }

        @Test
        void cancelStopsOneRequestAndLeavesTheOthersRunning() throws Exception {
            String stopped = sleepMarker();
            String kept = sleepMarker();
            ProcessRequest early = new ProcessRequest("echo started; sleep " + stopped, Map.of(),
                    workspace.resolve("logs/early.log"), GUARD, lines::add);
            CompletableFuture<ProcessResult> earlyResult = runAsync(early);
            CompletableFuture<ProcessResult> other = runAsync(request("echo started; sleep " + kept));
            await("both started", PROMPTLY, () -> lines.size() == 2);

            session.cancel(early);

            ProcessResult result = earlyResult.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS);
            assertThat(result.ending()).isEqualTo(Ending.KILLED);
            assertThat(result.detail()).isEqualTo("killed: stopped early");
            assertThat(running(stopped)).isEmpty();
            assertThat(other).isNotDone();
            assertThat(running(kept)).isNotEmpty();
        }

        @Test
        void cancelLeavesARequestThatIsNotRunningAlone() {
            session.cancel(request("echo never started"));

            assertThat(session.run(request("echo fine")).succeeded()).isTrue();
        }

        @Test
        void closeKillsWhatRunsAndWaitsForIt() throws Exception {
            String marker = sleepMarker();
            CompletableFuture<ProcessResult> result = runAsync(request("echo started; sleep " + marker));
            await("the command started", PROMPTLY, () -> logContains("started"));

            session.close();

            assertThat(running(marker)).isEmpty();
            assertThat(result.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS).detail()).isEqualTo("killed: run cancelled");
        }
    }

    @Nested
    class Parallel {

        @Test
        void runsSeveralCommandsAtOnceInOneSession() throws Exception {
            // Each command waits until all four have started: run one after another, they would time out.
            int count = 4;
            String rendezvous = "touch ready-$N; while [ $(ls ready-* | wc -l) -lt " + count + " ]; do sleep 0.01;"
                    + " done; echo done-$N";
            List<CompletableFuture<ProcessResult>> results = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                results.add(runAsync(new ProcessRequest(rendezvous, Map.of("N", Integer.toString(i)),
                        workspace.resolve("logs/" + i + ".log"), Duration.ofSeconds(20), lines::add)));
            }

            for (int i = 0; i < count; i++) {
                ProcessResult result = results.get(i).get(30, TimeUnit.SECONDS);
                assertThat(result.succeeded()).as("command %d: %s", i, result).isTrue();
                assertThat(result.tail()).containsExactly("done-" + i);
            }
            assertThat(lines).containsExactlyInAnyOrder("done-0", "done-1", "done-2", "done-3");
        }
    }

    private ProcessRequest request(String command) {
        return new ProcessRequest(command, Map.of(), log, GUARD, lines::add);
    }

    private CompletableFuture<ProcessResult> runAsync(ProcessRequest request) {
        CompletableFuture<ProcessResult> result = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                result.complete(session.run(request));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private boolean logContains(String text) {
        try {
            return Files.exists(log) && Files.readString(log).contains(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SessionConfig config(Map<String, String> env) {
        return new SessionConfig("run-1", "demo", null, null, null, true, env);
    }
}
