package dev.hone.bench;

import dev.hone.data.DataDir;
import dev.hone.exec.Executor;
import dev.hone.exec.ProcessRequest;
import dev.hone.exec.ProcessResult;
import dev.hone.exec.SessionConfig;
import dev.hone.exec.SessionEvents;
import dev.hone.exec.docker.DockerEngine;
import dev.hone.exec.docker.DockerExecutor;
import dev.hone.restart.RestartPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Crash-to-relaunch latency of a run's workspace container: a trial trains, the container is killed through the
 * Engine API ({@code docker kill}), and the clock stops when the container started in its place has its agent
 * listening, ready to run the trial again. Each crash counts as a first one (the restart policy's healthy period is
 * 0), so no back-off is waited: what is measured is Hone's reaction, not its policy.
 */
public final class RelaunchBench {

    /** Latencies in milliseconds: from the kill and from the daemon's {@code die} event to the agent's readiness. */
    public record Result(String image, double[] killToReadyMs, double[] dieToReadyMs) {

        public double median() {
            return percentile(killToReadyMs, 50);
        }

        public String report() {
            return String.format(Locale.ROOT, "Workspace container crash-to-relaunch: image %s, %d kills%n"
                            + "  docker kill -> new container's agent listening: median %.0f ms, p90 %.0f ms,"
                            + " min %.0f ms, max %.0f ms%n"
                            + "  die event -> agent listening:                   median %.0f ms%n",
                    image, killToReadyMs.length, median(), percentile(killToReadyMs, 90),
                    percentile(killToReadyMs, 0), percentile(killToReadyMs, 100), percentile(dieToReadyMs, 50));
        }

        private static double percentile(double[] values, int p) {
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
        }
    }

    private final Map<String, String> env;

    /** @param env where the daemon is, usually {@code System.getenv()} */
    public RelaunchBench(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** Kills the workspace container {@code kills} times, working in {@code workDir} (a new directory). */
    public Result measure(String image, int kills, Path workDir) {
        if (kills < 1) {
            throw new IllegalArgumentException("kills must be at least 1, got " + kills);
        }
        RestartPolicy everyCrashFirst = new RestartPolicy(RestartPolicy.Mode.ON_FAILURE, 1, RestartPolicy.BACKOFF,
                Duration.ZERO);
        DockerExecutor executor = new DockerExecutor(env,
                DockerExecutor.Options.DEFAULTS.withRestarts(everyCrashFirst));
        double[] total = new double[kills];
        double[] afterDie = new double[kills];
        try (DockerEngine engine = new DockerEngine(env, Duration.ofSeconds(30))) {
            Path workspace = Files.createDirectories(new DataDir(workDir).run(1).workspace());
            try (Executor.Session session = executor.open(workspace, new SessionConfig("relaunch-bench", "bench",
                    image, null, null, false, Map.of()))) {
                for (int i = 0; i < kills; i++) {
                    CompletableFuture<SessionEvents.Restart> restarted = new CompletableFuture<>();
                    CompletableFuture<Long> readyAt = new CompletableFuture<>();
                    session.watch(new SessionEvents() {
                        @Override
                        public void restarted(SessionEvents.Restart restart) {
                            readyAt.complete(System.nanoTime());
                            restarted.complete(restart);
                        }
                    });
                    CompletableFuture<Void> training = new CompletableFuture<>();
                    CompletableFuture<ProcessResult> trial = CompletableFuture.supplyAsync(() -> session.run(
                            new ProcessRequest("echo training; sleep 300", Map.of(), null, null,
                                    line -> training.complete(null))));
                    training.get(60, TimeUnit.SECONDS);
                    long killed = System.nanoTime();
                    engine.kill(DockerEngine.containerOf(session));
                    total[i] = (readyAt.get(60, TimeUnit.SECONDS) - killed) / 1e6;
                    afterDie[i] = restarted.get().downtime().toNanos() / 1e6;
                    training.obtrudeValue(null);
                    session.cancelAll();
                    trial.get(60, TimeUnit.SECONDS);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the relaunch benchmark failed: " + e.getMessage(), e);
        }
        return new Result(image, total, afterDie);
    }
}
