package dev.hone.exec.docker;

import com.github.dockerjava.api.DockerClient;
import dev.hone.exec.Executor;
import dev.hone.exec.ProcessRequest;
import dev.hone.exec.ProcessResult.Ending;
import dev.hone.exec.ProcessResult;
import dev.hone.exec.SessionEvents;
import dev.hone.restart.Supervisor;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's environment in one long-lived workspace container, kept running by a {@link WorkspaceSupervisor}: every
 * command is a {@link TrialRun} started by the agent in it, any number at once. When the container dies under its
 * commands (its {@code die} event), each is run again from the start in the container started in its place, its
 * log marked; past the restart policy they fail with the reason. A {@link DaemonWatch} looks at the container
 * too: when the daemon stops answering for longer than the grace, what runs is stopped and what comes is refused.
 * Closing (also on JVM shutdown) removes the container; were Hone killed outright, the agent sees its FIFO close
 * and the container ends and removes itself.
 */
final class DockerSession implements Executor.Session, WorkspaceSupervisor.Listener {

    private static final Duration CLOSE_MARGIN = Duration.ofSeconds(15);
    private static final String CLOSED = "the session is closed: the run was cancelled or has ended";
    private static final Logger LOG = LoggerFactory.getLogger(DockerSession.class);

    private final DockerClient client;
    private final DockerClient quick;
    private final WorkspaceSupervisor workspace;
    private final TrialRun.Context context;
    private final int maxRestarts;
    private final InFlight inFlight = new InFlight();
    private final AtomicInteger ids = new AtomicInteger();
    private final DaemonWatch watchdog;
    private final Thread shutdownHook;
    private volatile SessionEvents listener = SessionEvents.NONE;
    private volatile String lastDeath;
    private volatile String broken;
    private volatile boolean closed;
    private boolean released;

    /** Takes over the clients and the supervised container: {@link #close} releases them. */
    DockerSession(DockerClient client, DockerClient quick, WorkspaceSupervisor workspace, TrialRun.Context context,
                  int maxRestarts, Duration daemonGrace) {
        this.client = client;
        this.quick = quick;
        this.workspace = workspace;
        this.context = context;
        this.maxRestarts = maxRestarts;
        workspace.listen(this);
        this.watchdog = new DaemonWatch(workspace, quick, daemonGrace, this::breakDown,
                containerId().substring(0, 12));
        this.shutdownHook = Thread.ofPlatform().unstarted(this::removeOnShutdown);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** The current workspace container's id. */
    String containerId() {
        return workspace.current().container().id();
    }

    @Override
    public void watch(SessionEvents events) {
        this.listener = events == null ? SessionEvents.NONE : events;
    }

    @Override
    public ProcessResult run(ProcessRequest request) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(request.command(), "request.command");
        long startNanos = System.nanoTime();
        if (closed || broken != null) {
            return failedToStart(startNanos, closed ? CLOSED : broken);
        }
        long cancellationsBefore = inFlight.cancellations();
        Attempt attempt = inFlight.add(request);
        try {
            if (closed || inFlight.cancellations() != cancellationsBefore) {
                attempt.stop("killed: run cancelled");
            }
            String rerunBecause = null;
            while (true) {
                WorkspaceSupervisor.Incarnation in;
                try {
                    in = workspace.awaitRunning(attempt.stop);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    attempt.stop("killed: interrupted");
                    in = null;
                }
                if (in == null) {
                    return notRun(attempt, startNanos, rerunBecause != null);
                }
                if (rerunBecause != null) {
                    attempt.mark("--- hone: container restarted (" + rerunBecause + "); re-running "
                            + attempt.what() + " ---");
                }
                TrialRun run = new TrialRun(ids.incrementAndGet(), context, in.agent());
                attempt.run = run;
                if (attempt.stop.isDone()) {
                    run.stop(Ending.KILLED, attempt.stop.join());
                }
                if (broken != null) {
                    run.stop(Ending.KILLED, broken);
                }
                if (!workspace.isCurrent(in)) {
                    run.containerDied(lastDeath);
                }
                ProcessResult result = run.run(request, startNanos, rerunBecause != null);
                if (!run.interruptedByDeath() || attempt.stop.isDone() || closed) {
                    return result;
                }
                rerunBecause = lastDeath;
            }
        } finally {
            inFlight.remove(request);
        }
    }

    /** The container it would run in will not run (gave up, broken, closed), or it was stopped meanwhile. */
    private ProcessResult notRun(Attempt attempt, long startNanos, boolean wasRunning) {
        String why = attempt.stop.isDone() ? attempt.stop.join() : broken != null ? broken
                : workspace.failed() != null ? workspace.failed() : CLOSED;
        if (wasRunning) {
            attempt.mark("--- hone: " + why + "; " + attempt.what() + " not run again ---");
        }
        return new ProcessResult(attempt.stop.isDone() ? Ending.KILLED : Ending.FAILED_TO_START, -1,
                Duration.ofNanos(System.nanoTime() - startNanos), List.of(), why);
    }

    @Override
    public void cancel(ProcessRequest request) {
        inFlight.stop(request, "killed: stopped early");
    }

    @Override
    public void cancelAll() {
        inFlight.stopAll("killed: run cancelled");
    }

    @Override
    public void died(String reason) {
        lastDeath = reason;
        inFlight.containerDied(reason);
    }

    @Override
    public void restarted(Supervisor.Restart restart, String reason, Duration downtime, String containerId) {
        LOG.info("the workspace container runs again as {} after {} ms ({} of {} in a row)",
                containerId.substring(0, 12), downtime.toMillis(), restart.inARow(), maxRestarts);
        tell(l -> l.restarted(new SessionEvents.Restart(containerId.substring(0, 12), restart.inARow(),
                restart.total(), maxRestarts, reason, downtime, inFlight.interrupted())));
    }

    @Override
    public void gaveUp(int restarts, String reason) {
        tell(l -> l.gaveUp(new SessionEvents.GaveUp(containerId().substring(0, 12), restarts, reason)));
    }

    private void tell(Consumer<SessionEvents> call) {
        try {
            call.accept(listener);
        } catch (RuntimeException e) {
            LOG.warn("a session listener failed", e);
        }
    }

    private void breakDown(String problem) {
        if (closed) {
            return;
        }
        LOG.warn("{}; the run's commands are stopped", problem);
        broken = problem;
        workspace.fail(problem);
        inFlight.killRuns(problem);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        cancelAll();
        watchdog.stop();
        try {
            inFlight.awaitFinished(context.killGrace().plus(CLOSE_MARGIN));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        release();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs release() too
        }
    }

    private void removeOnShutdown() {
        if (!closed) {
            closed = true;
            cancelAll();
        }
        release();
    }

    /** Removes the container and the agent's files; never throws. */
    private synchronized void release() {
        if (released) {
            return;
        }
        released = true;
        workspace.close();
        WorkspaceLauncher.deleteTree(context.agentDir());
        for (DockerClient c : List.of(client, quick)) {
            try {
                c.close();
            } catch (IOException | RuntimeException e) {
                LOG.debug("closing a Docker client failed", e);
            }
        }
    }

    private static ProcessResult failedToStart(long startNanos, String detail) {
        return new ProcessResult(Ending.FAILED_TO_START, -1, Duration.ofNanos(System.nanoTime() - startNanos),
                List.of(), detail);
    }
}
