package dev.hone.exec;

import dev.hone.exec.ProcessResult.Ending;
import dev.hone.run.Usage;
import dev.hone.time.Durations;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One command running in a {@link LocalSession}: {@code sh -c} with its output pumped by a thread of its own. The
 * thread that called {@link #await} does all the waiting and killing; {@link #cancel} only asks it to.
 */
final class LocalRun {

    /** How long the output may still flow once the command's processes are gone. */
    private static final Duration DRAIN = Duration.ofSeconds(2);
    /** How long the shell may take to be reaped once killed. */
    private static final Duration REAP = Duration.ofSeconds(5);

    private record Stop(Ending ending, String detail) {}

    /**
     * Runs {@code $0} as {@code sh -c} would, after moving itself into the cgroup whose {@code cgroup.procs} is
     * {@code $1} (when given): so everything the command starts is in the cgroup from its first instant.
     */
    private static final String ENTER_CGROUP = "if [ -n \"$1\" ]; then { echo $$ >\"$1\"; } 2>/dev/null; fi; "
            + "exec sh -c \"$0\"";

    private final Process process;
    private final ProcessTree tree;
    private final Cgroups.Cgroup cgroup;
    private final OutputPump pump;
    private final UsageMeter meter;
    private final Duration killGrace;
    private final long startNanos;
    private final CompletableFuture<Stop> stop = new CompletableFuture<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();

    private LocalRun(Process process, ProcessTree tree, Cgroups.Cgroup cgroup, OutputPump pump, Duration killGrace,
                     long startNanos) {
        this.process = process;
        this.tree = tree;
        this.cgroup = cgroup;
        this.pump = pump;
        this.meter = UsageMeter.start(tree, cgroup);
        this.killGrace = killGrace;
        this.startNanos = startNanos;
    }

    /**
     * Starts the command; its output reaches the log, the tail and the request's consumer with {@code masks}
     * applied. With {@code cgroups}, it runs in a cgroup of its own, killed with it when it ends.
     *
     * @throws StartFailure when it cannot start; its message is the result's detail
     */
    static LocalRun start(Path workspace, Map<String, String> sessionEnv, Masks masks, ProcessRequest request,
                          Duration killGrace, long logLimit, Optional<Cgroups> cgroups) {
        long startNanos = System.nanoTime();
        Writer log = openLog(request.logFile(), logLimit);
        String token = UUID.randomUUID().toString();
        Cgroups.Cgroup cgroup = cgroups.map(LocalRun::createQuietly).orElse(null);
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", ENTER_CGROUP, request.command(),
                cgroup == null ? "" : cgroup.procs().toString())
                .directory(workspace.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Map<String, String> env = builder.environment();
        env.clear();
        putAll(env, sessionEnv);
        putAll(env, request.env());
        env.put(ProcessTree.TOKEN_VARIABLE, token);
        env.put(ProcessTree.WORKSPACE_VARIABLE, workspace.toAbsolutePath().normalize().toString());
        Process process;
        try {
            process = builder.start();
        } catch (IOException | RuntimeException e) {
            closeQuietly(log);
            if (cgroup != null) {
                cgroup.killAndRemove();
            }
            throw new StartFailure("could not start `sh -c` in " + workspace + ": " + e.getMessage());
        }
        OutputPump pump = new OutputPump(process.getInputStream(), log,
                request.onLine() == null ? line -> {} : request.onLine(), masks);
        Thread.ofPlatform().daemon().name("hone-output-" + process.pid()).start(pump);
        return new LocalRun(process, new ProcessTree(process.toHandle(), token, cgroup), cgroup, pump, killGrace,
                startNanos);
    }

    /** Asks the command to stop; {@link #await} kills its processes and returns KILLED with this detail. */
    void cancel(String detail) {
        stop.complete(new Stop(Ending.KILLED, detail));
    }

    /** Waits until the run's {@link #await} has returned, at most {@code timeout}. */
    void awaitFinished(Duration timeout) throws InterruptedException {
        try {
            finished.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // closing goes on regardless
        }
    }

    /** Runs the command to its end, its timeout or its cancellation, and leaves none of its processes behind. */
    ProcessResult await(Duration timeout) {
        boolean interrupted = false;
        try {
            Stop reason;
            try {
                reason = waitForExitOrStop(timeout);
            } catch (InterruptedException e) {
                interrupted = true;
                cancel("killed: interrupted");
                reason = stop.join();
            }
            // Killed, or exited: either way what it left running (a `sleep 1000 &`) must not outlive it.
            tree.kill(killGrace);
            Cgroups.Readings readings = cgroup == null ? null : cgroup.killAndRemove();
            interrupted |= awaitShellReaped();
            interrupted |= drainOutput();
            return result(reason, readings);
        } finally {
            finished.complete(null);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Stop waitForExitOrStop(Duration timeout) throws InterruptedException {
        CompletableFuture<Object> exitOrStop = CompletableFuture.anyOf(process.onExit(), stop);
        try {
            if (timeout == null) {
                exitOrStop.get();
            } else {
                exitOrStop.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (TimeoutException e) {
            stop.complete(new Stop(Ending.TIMED_OUT, "timed out after " + Durations.format(timeout)));
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for the command failed", e);
        }
        return stop.getNow(null);
    }

    /** @return whether the thread was interrupted meanwhile */
    private boolean awaitShellReaped() {
        boolean interrupted = false;
        long deadline = System.nanoTime() + REAP.toNanos();
        while (true) {
            try {
                process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                return interrupted;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
    }

    /** @return whether the thread was interrupted meanwhile */
    private boolean drainOutput() {
        boolean interrupted = false;
        while (true) {
            try {
                if (!pump.awaitEnd(DRAIN)) {
                    pump.abandon();
                }
                return interrupted;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
    }

    private ProcessResult result(Stop reason, Cgroups.Readings readings) {
        Duration duration = Duration.ofNanos(System.nanoTime() - startNanos);
        Usage usage = meter.finish(duration, readings);
        List<String> tail = pump.tail();
        if (reason != null) {
            return new ProcessResult(reason.ending(), -1, duration, tail, reason.detail(), usage);
        }
        int exitCode = process.isAlive() ? -1 : process.exitValue();
        return new ProcessResult(Ending.EXITED, exitCode, duration, tail, ShellErrors.detail(exitCode, tail), usage);
    }

    /** A cgroup for the command, or none when this one cannot be created: then it runs as without cgroups. */
    private static Cgroups.Cgroup createQuietly(Cgroups cgroups) {
        try {
            return cgroups.create();
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    private static Writer openLog(Path logFile, long limit) {
        if (logFile == null) {
            return null;
        }
        try {
            return OutputLines.openLog(logFile, false, limit);
        } catch (IOException e) {
            throw new StartFailure("cannot write the log file " + logFile + ": " + e);
        }
    }

    private static void putAll(Map<String, String> target, Map<String, String> source) {
        if (source != null) {
            source.forEach((name, value) -> {
                if (name != null && value != null) {
                    target.put(name, value);
                }
            });
        }
    }

    private static void closeQuietly(Writer log) {
        if (log != null) {
            try {
                log.close();
            } catch (IOException ignored) {
                // nothing was written
            }
        }
    }

    /** The command could not be started; the message says why. */
    static final class StartFailure extends RuntimeException {
        StartFailure(String message) {
            super(message);
        }
    }
}
