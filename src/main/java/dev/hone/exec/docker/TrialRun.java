package dev.hone.exec.docker;

import dev.hone.exec.Masks;
import dev.hone.exec.ProcessRequest;
import dev.hone.exec.ProcessResult.Ending;
import dev.hone.exec.ProcessResult;
import dev.hone.time.Backoff;
import dev.hone.time.Durations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * One command run by the agent in the workspace container: its files in {@code <agent dir>/t/<id>/} ({@code run.sh}
 * written here; {@code out}, {@code pid}, {@code done} by the agent), its output followed by a {@link LogTail}, and
 * its end awaited on the agent's events. The thread that called {@link #run} does the waiting and asks the agent to
 * kill; {@link #stop} only asks that thread to.
 */
final class TrialRun {

    /** What a run needs of its session; {@code masks}: the secrets hidden in every command's output. */
    record Context(Path agentDir, Path workspace, Path runDir, Ownership ownership, Endings.Limits limits,
                   Duration killGrace, Masks masks, long logLimit) {}

    /**
     * @param agentGone nothing left to kill or to wait for (the container is gone)
     * @param rerun     the container died under it: the session runs the command again in the next one
     */
    private record Stop(Ending ending, String detail, boolean agentGone, boolean rerun) {}

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Output is looked for every 5 ms at first, then less often while there is none, down to every 100 ms. */
    private static final Backoff POLL = Backoff.doubling(Duration.ofMillis(5), Duration.ofMillis(100));
    /** How long the agent's report may take once the processes were killed, beyond the kill grace. */
    private static final Duration KILL_MARGIN = Duration.ofSeconds(5);

    private final int id;
    private final Context context;
    private final AgentChannel agent;
    private volatile boolean interruptedByDeath;
    private final CompletableFuture<Stop> stop = new CompletableFuture<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();

    TrialRun(int id, Context context, AgentChannel agent) {
        this.id = id;
        this.context = context;
        this.agent = agent;
    }

    /** Asks the run to stop: its processes are killed and it ends with {@code ending} and {@code detail}. */
    void stop(Ending ending, String detail) {
        stop.complete(new Stop(ending, detail, false, false));
    }

    /** Ends the run at once with {@code detail}: its container, and every process in it, is gone. */
    void abandon(String detail) {
        stop.complete(new Stop(Ending.KILLED, detail, true, false));
    }

    /** Ends the run at once: its container died and will be started again, where the session runs it anew. */
    void containerDied(String detail) {
        stop.complete(new Stop(Ending.KILLED, detail, true, true));
    }

    /** True when {@link #run} returned because the container died under the command (not because it ended). */
    boolean interruptedByDeath() {
        return interruptedByDeath;
    }

    /** Waits until {@link #run} has returned, at most {@code timeout}. */
    void awaitFinished(Duration timeout) throws InterruptedException {
        try {
            finished.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // closing goes on regardless
        }
    }

    /** @param rerun a run after the container died: the log is appended to, not replaced */
    ProcessResult run(ProcessRequest request, long startNanos, boolean rerun) {
        Path dir = context.agentDir().resolve("t").resolve(Integer.toString(id));
        try {
            LogTail tail;
            try {
                prepare(dir, request);
                tail = new LogTail(dir.resolve("out"), request.logFile(), request.onLine(), rerun, context.masks(),
                        context.logLimit());
            } catch (IOException | RuntimeException e) {
                return result(startNanos, Ending.FAILED_TO_START, -1, List.of(),
                        "could not prepare the command for the container: " + e.getMessage());
            }
            try (tail) {
                return await(request.timeout(), tail, startNanos);
            }
        } finally {
            agent.forget(id);
            delete(dir);
            finished.complete(null);
        }
    }

    private void prepare(Path dir, ProcessRequest request) throws IOException {
        Files.createDirectories(dir);
        context.ownership().give(dir);
        Files.writeString(dir.resolve("run.sh"), script(context.workspace(), request.env(), request.command()),
                StandardCharsets.UTF_8);
        Path out = Files.createFile(dir.resolve("out"));
        context.ownership().give(out);
        if (request.env() != null) {
            for (String value : request.env().values()) {
                giveIfRunDirectory(value);
            }
        }
    }

    /** A directory the request names (HONE_OUTPUT) is written by the container's user. */
    private void giveIfRunDirectory(String value) {
        if (value == null || !value.startsWith("/")) {
            return;
        }
        try {
            Path path = Path.of(value).normalize();
            if (path.startsWith(context.runDir()) && Files.isDirectory(path)) {
                context.ownership().give(path);
            }
        } catch (InvalidPathException e) {
            // not a path
        }
    }

    private ProcessResult await(Duration timeout, LogTail tail, long startNanos) {
        CompletableFuture<AgentChannel.Exit> exit;
        try {
            exit = agent.start(id);
        } catch (RuntimeException e) {
            exit = new CompletableFuture<>(); // the agent is gone: the container's death stops the run
        }
        long deadline = timeout == null ? Long.MAX_VALUE : startNanos + timeout.toNanos();
        int idle = 0; // polls in a row that found no output
        boolean interrupted = false;
        while (!exit.isDone() && !stop.isDone()) {
            try {
                CompletableFuture.anyOf(exit, stop).get(POLL.delay(idle + 1).toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                idle = tail.poll() ? 0 : idle + 1;
                if (System.nanoTime() - deadline >= 0) {
                    stop(Ending.TIMED_OUT, "timed out after " + Durations.format(timeout));
                }
            } catch (InterruptedException e) {
                interrupted = true;
                stop(Ending.KILLED, "killed: interrupted");
            } catch (ExecutionException e) {
                break;
            }
        }
        try {
            if (!exit.isDone()) {
                return killed(exit, tail, startNanos);
            }
            tail.finish();
            AgentChannel.Exit ended = exit.join();
            return Endings.of(ended, context.limits(), Duration.ofNanos(System.nanoTime() - startNanos), tail.tail());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private ProcessResult killed(CompletableFuture<AgentChannel.Exit> exit, LogTail tail, long startNanos) {
        Stop reason = stop.join();
        if (reason.agentGone()) {
            interruptedByDeath = reason.rerun();
            tail.finish();
            return result(startNanos, reason.ending(), -1, tail.tail(), reason.detail());
        }
        try {
            agent.kill(id, context.killGrace().toMillis() / 1000.0);
            long until = System.nanoTime() + context.killGrace().plus(KILL_MARGIN).toNanos();
            while (!exit.isDone() && System.nanoTime() - until < 0) {
                try {
                    exit.get(POLL.first().toMillis() * 4, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    tail.poll();
                } catch (ExecutionException e) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // the agent is gone: so are the processes it ran
        }
        tail.finish();
        ProcessResult killed = result(startNanos, reason.ending(), -1, tail.tail(), reason.detail());
        return exit.isDone() && !exit.isCompletedExceptionally()
                ? killed.withUsage(Endings.usage(exit.join(), killed.duration())) : killed;
    }

    /** run.sh: into the workspace, the request's variables exported, then {@code exec sh -c COMMAND}. */
    static String script(Path workspace, Map<String, String> env, String command) {
        StringBuilder script = new StringBuilder("cd ").append(quote(workspace.toString())).append(" || exit 1\n");
        if (env != null) {
            env.forEach((name, value) -> {
                if (name != null && value != null && ENV_NAME.matcher(name).matches()) {
                    script.append("export ").append(name).append('=').append(quote(value)).append('\n');
                }
            });
        }
        return script.append("exec sh -c ").append(quote(command)).append('\n').toString();
    }

    static String quote(String value) {
        return "'" + value.replace("'", "'\"'\"'") + "'";
    }

    private static ProcessResult result(long startNanos, Ending ending, int exitCode, List<String> tail,
                                        String detail) {
        return new ProcessResult(ending, exitCode, Duration.ofNanos(System.nanoTime() - startNanos), tail, detail);
    }

    private static void delete(Path dir) {
        // what cannot be deleted now is left for the session's close, which removes the agent's directory
        WorkspaceLauncher.deleteTree(dir);
    }
}
