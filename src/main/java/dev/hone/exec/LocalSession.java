package dev.hone.exec;

import dev.hone.exec.ProcessResult.Ending;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** A run's environment on this machine: commands run in the workspace, any number at once. */
final class LocalSession implements Executor.Session {

    /** Bound on how long {@link #close} waits for one command beyond the kill grace. */
    private static final Duration CLOSE_MARGIN = Duration.ofSeconds(30);

    private final Path workspace;
    private final Map<String, String> env;
    private final Masks masks;
    private final Duration killGrace;
    private final long logLimit;
    private final Optional<Cgroups> cgroups;
    private final Set<LocalRun> running = ConcurrentHashMap.newKeySet();
    /** The run of each request now running, by identity (two equal requests are still two commands). */
    private final Map<ProcessRequest, LocalRun> byRequest = Collections.synchronizedMap(new IdentityHashMap<>());
    /** Counts cancelAll() calls, so that a command starting while one runs is cancelled too. */
    private final AtomicLong cancellations = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param env   the environment every command starts with (requests add to it)
     * @param masks the secrets hidden in every command's output
     * @param cgroups where each command gets a cgroup of its own, if anywhere
     */
    LocalSession(Path workspace, Map<String, String> env, Masks masks, Duration killGrace, long logLimit,
                 Optional<Cgroups> cgroups) {
        this.workspace = workspace;
        this.env = Map.copyOf(env);
        this.masks = masks;
        this.killGrace = killGrace;
        this.logLimit = logLimit;
        this.cgroups = cgroups;
    }

    @Override
    public ProcessResult run(ProcessRequest request) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(request.command(), "request.command");
        long startNanos = System.nanoTime();
        if (closed) {
            return failedToStart(startNanos, "the session is closed: the run was cancelled or has ended");
        }
        if (!Files.isDirectory(workspace)) {
            return failedToStart(startNanos, "workspace " + workspace + " does not exist or is not a directory");
        }
        long cancellationsBefore = cancellations.get();
        LocalRun run;
        try {
            run = LocalRun.start(workspace, env, masks, request, killGrace, logLimit, cgroups);
        } catch (LocalRun.StartFailure e) {
            return failedToStart(startNanos, e.getMessage());
        }
        running.add(run);
        byRequest.put(request, run);
        try {
            if (closed || cancellations.get() != cancellationsBefore) {
                run.cancel("killed: run cancelled");
            }
            return run.await(request.timeout());
        } finally {
            byRequest.remove(request);
            running.remove(run);
        }
    }

    @Override
    public void cancel(ProcessRequest request) {
        LocalRun run = byRequest.get(request);
        if (run != null) {
            run.cancel("killed: stopped early");
        }
    }

    @Override
    public void cancelAll() {
        cancellations.incrementAndGet();
        for (LocalRun run : running) {
            run.cancel("killed: run cancelled");
        }
    }

    @Override
    public void close() {
        closed = true;
        cancelAll();
        Duration bound = killGrace.plus(CLOSE_MARGIN);
        try {
            for (LocalRun run : running) {
                run.awaitFinished(bound);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ProcessResult failedToStart(long startNanos, String detail) {
        return new ProcessResult(Ending.FAILED_TO_START, -1, Duration.ofNanos(System.nanoTime() - startNanos),
                List.of(), detail);
    }
}
