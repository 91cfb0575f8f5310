package dev.hone.exec.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.github.dockerjava.api.DockerClient;
import dev.hone.exec.Executor;
import dev.hone.exec.ProcessResult.Ending;
import dev.hone.exec.ProcessResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** However a run ends, no container labelled with it remains. */
@ExtendWith(DockerAvailable.class)
class DockerLeaksTest {

    @TempDir
    Path data;

    @Test
    void closingTheSessionRemovesItsContainer() throws Exception {
        Runs run = new Runs(data);
        try (Executor.Session session = new DockerExecutor(System.getenv()).open(run.workspace,
                run.config("hone/python", null, false))) {
            assertThat(session.run(run.trial(1, "echo ok", null)).succeeded()).isTrue();
            assertThat(run.containers()).hasSize(1);
        }
        assertThat(run.containers()).isEmpty();
    }

    @Test
    void closingWhileTrialsRunKillsThemAndRemovesTheContainer() throws Exception {
        Runs run = new Runs(data);
        Executor.Session session = new DockerExecutor(System.getenv()).open(run.workspace,
                run.config("hone/python", null, false));
        CompletableFuture<ProcessResult> running = CompletableFuture.supplyAsync(
                () -> session.run(run.trial(1, "echo started; sleep 300", null)));
        waitFor(() -> !run.lines.isEmpty());

        session.close();

        ProcessResult result = running.get(30, TimeUnit.SECONDS);
        assertThat(result.ending()).isEqualTo(Ending.KILLED);
        assertThat(result.detail()).isEqualTo("killed: run cancelled");
        assertThat(run.containers()).isEmpty();
        assertThat(session.run(run.trial(2, "echo late", null)).detail())
                .isEqualTo("the session is closed: the run was cancelled or has ended");
    }

    @Test
    void ctrlCOnHoneRemovesTheRunsContainer() throws Exception {
        Runs run = new Runs(data);
        Process hone = startHone(run);

        new ProcessBuilder("kill", "-INT", Long.toString(hone.pid())).start().waitFor();

        assertThat(hone.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(run.containers()).isEmpty();
    }

    @Test
    void honeKilledOutrightLeavesNoContainerEither() throws Exception {
        Runs run = new Runs(data);
        Process hone = startHone(run);

        hone.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

        assertThat(run.containersGoneWithin(15)).as("the agent sees Hone gone, the container removes itself")
                .isTrue();
    }

    @Test
    void whenTheDaemonGoesAwayTrialsEndWithTheReasonAndCloseDoesNotThrow() throws Exception {
        Runs run = new Runs(data);
        DaemonProxy daemon = new DaemonProxy(data.resolve("docker.sock"), Path.of("/var/run/docker.sock"));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("DOCKER_HOST", daemon.host());
        Executor.Session session = new DockerExecutor(env, DockerExecutor.Options.DEFAULTS.withDaemonGrace(
                Duration.ofSeconds(2))).open(run.workspace, run.config("hone/python", null, false));
        CompletableFuture<ProcessResult> running = CompletableFuture.supplyAsync(
                () -> session.run(run.trial(1, "echo started; sleep 300", null)));
        waitFor(() -> !run.lines.isEmpty());

        daemon.close();

        ProcessResult killed = running.get(30, TimeUnit.SECONDS);
        assertThat(killed.ending()).isEqualTo(Ending.KILLED);
        assertThat(killed.detail()).startsWith("Docker daemon stopped answering: ");
        ProcessResult refused = session.run(run.trial(2, "echo after", null));
        assertThat(refused.ending()).isEqualTo(Ending.FAILED_TO_START);
        assertThat(refused.detail()).isEqualTo(killed.detail());
        assertThatCode(session::close).doesNotThrowAnyException();
        assertThat(run.containersGoneWithin(15)).as("the agent saw Hone let go: the container removed itself")
                .isTrue();
    }

    @Test
    void leftoversOfAnEndedHoneAreFoundByLabelAndRemoved() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        String id;
        try (DockerClient client = Docker.client(System.getenv(), Duration.ofSeconds(30))) {
            Map<String, String> labels = new HashMap<>(WorkspaceContainer.labels("leftover", "old"));
            String owner = labels.get(WorkspaceContainer.OWNER);
            labels.put(WorkspaceContainer.OWNER, owner.substring(0, owner.lastIndexOf(':') + 1) + ended.pid());
            id = client.createContainerCmd("hone/python").withCmd("sleep", "300").withLabels(labels).exec().getId();
        }

        List<String> removed = new DockerExecutor(System.getenv()).removeLeftovers();

        assertThat(removed).contains(id);
        assertThat(Runs.containersLabelled(WorkspaceContainer.OWNER)).noneMatch(c -> c.getId().equals(id));
    }

    private Process startHone(Runs run) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process hone = new ProcessBuilder(javaBin, "-cp", classpath, HoneProcess.class.getName(), data.toString(),
                run.id).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(hone.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Boolean> running = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.equals("running")) {
                        return true;
                    }
                }
                return false;
            } catch (IOException e) {
                return false;
            }
        });
        assertThat(running.get(60, TimeUnit.SECONDS)).as("Hone started training").isTrue();
        assertThat(run.containers()).hasSize(1);
        Thread.ofPlatform().daemon().start(() -> {
            try {
                out.transferTo(Writer.nullWriter());
            } catch (IOException e) {
                // it ended
            }
        });
        return hone;
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean() && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }
}
