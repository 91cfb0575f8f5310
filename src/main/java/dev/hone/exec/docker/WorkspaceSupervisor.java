package dev.hone.exec.docker;

import dev.hone.error.HoneException;
import dev.hone.restart.Supervisor;
import dev.hone.time.Sleeper;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a run's workspace container running: started by a {@link WorkspaceLauncher}, watched through the daemon's
 * events, and when it dies unexpectedly started again from the very same plan (image, mounts, limits, environment,
 * labels) after the back-off its {@link Supervisor} says; past the policy's limit it gives up. Each container is an
 * {@link Incarnation}; commands run in the current one.
 */
final class WorkspaceSupervisor {

    /** One container of the session and the channel to its agent; {@code generation} counts from 0. */
    record Incarnation(int generation, WorkspaceContainer container, AgentChannel agent) {}

    /** What the session hears. Called on the supervisor's threads. */
    interface Listener {
        /** The current container died: what runs in it is gone. A decision follows. */
        void died(String reason);

        void restarted(Supervisor.Restart restart, String reason, Duration downtime, String containerId);

        void gaveUp(int restarts, String reason);
    }

    /** A death heard before its container became the current one (it died while being started). */
    private record EarlyDeath(String containerId, int exitCode, String reason, Instant at) {}

    private static final Logger LOG = LoggerFactory.getLogger(WorkspaceSupervisor.class);

    private final WorkspaceLauncher launcher;
    private final String runId;
    private final Supervisor supervisor;
    private final Sleeper sleeper;
    private volatile Listener listener;
    private volatile Incarnation current;
    private volatile AutoCloseable watch;
    private volatile CompletableFuture<Incarnation> next;
    private volatile String failed;
    private volatile boolean closing;
    private volatile Thread relauncher;
    private volatile EarlyDeath early;

    private WorkspaceSupervisor(WorkspaceLauncher launcher, String runId, Supervisor supervisor, Sleeper sleeper) {
        this.launcher = launcher;
        this.runId = runId;
        this.supervisor = supervisor;
        this.sleeper = sleeper;
    }

    /** Starts the first container and waits for its agent; throws (nothing left behind) when it does not start. */
    static WorkspaceSupervisor start(WorkspaceLauncher launcher, String runId, Supervisor supervisor,
                                     Sleeper sleeper) {
        WorkspaceSupervisor s = new WorkspaceSupervisor(launcher, runId, supervisor, sleeper);
        s.current = s.launch(0);
        s.next = CompletableFuture.completedFuture(s.current);
        return s;
    }

    void listen(Listener l) {
        this.listener = l;
    }

    Incarnation current() {
        return current;
    }

    /** True while {@code in} is the container that runs: not dead, not being replaced. */
    boolean isCurrent(Incarnation in) {
        return current == in && next.isDone() && failed == null && !closing;
    }

    /** Why no container will run any more (gave up, or failed), else null. */
    String failed() {
        return failed;
    }

    /**
     * The container to run in: the current one, or, while one is being started again, the new one once it listens.
     * Null when it gave up or {@code stop} completed first.
     */
    Incarnation awaitRunning(CompletableFuture<?> stop) throws InterruptedException {
        CompletableFuture<Incarnation> pending = next;
        while (!pending.isDone() && !stop.isDone()) {
            try {
                CompletableFuture.anyOf(pending, stop).get(1, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // look again
            }
        }
        return pending.isDone() && !stop.isDone() ? pending.getNow(null) : null;
    }

    /** Stops supervising for good (the session fails with {@code reason}): no container is started again. */
    void fail(String reason) {
        failed = reason;
        next.complete(null);
    }

    /** Called by the event stream (or the session's watchdog) when container {@code containerId} died. */
    synchronized void died(String containerId, int exitCode, String reason, Instant at) {
        Incarnation dead = current;
        if (closing || failed != null || dead == null) {
            return;
        }
        if (!dead.container().id().equals(containerId) || !next.isDone()) {
            early = new EarlyDeath(containerId, exitCode, reason, at); // acted on if it becomes current
            return;
        }
        next = new CompletableFuture<>();
        LOG.warn("the workspace container {} of run {} died ({}); starting it again", containerId.substring(0, 12),
                runId, reason);
        tell(l -> l.died(reason));
        relauncher = Thread.ofPlatform().daemon().name("hone-relaunch-" + runId)
                .start(() -> relaunch(dead, exitCode == 0 ? -1 : exitCode, reason, at));
    }

    private void relaunch(Incarnation dead, int exitCode, String reason, Instant diedAt) {
        dead.agent().close();
        String why = reason;
        int code = exitCode;
        while (!closing) {
            Supervisor.Decision decision = supervisor.stopped(code);
            if (!(decision instanceof Supervisor.Restart restart)) {
                int restarts = decision instanceof Supervisor.GiveUp g ? g.inARow() : 0;
                String text = "the workspace container gave up after " + restarts + " restart"
                        + (restarts == 1 ? "" : "s") + ": " + why;
                LOG.warn("{} (run {})", text, runId);
                String because = why;
                tell(l -> l.gaveUp(restarts, because)); // heard before the commands fail with it
                fail(text);
                return;
            }
            Incarnation started;
            try {
                sleeper.sleep(restart.delay());
                started = launch(dead.generation() + 1);
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                why = "it did not start again: " + (e instanceof HoneException ? e.getMessage() : Docker.cause(e));
                code = -1;
                continue;
            }
            if (closing) {
                launcher.remove(started.container(), started.agent());
                break;
            }
            Duration downtime = Duration.between(diedAt, Instant.now());
            String because = why;
            // heard before the commands run again in it: their readings start over first
            tell(l -> l.restarted(restart, because, downtime, started.container().id()));
            adopt(started);
            lookOnce(started);
            return;
        }
        next.complete(null);
    }

    /** A death between being watched and becoming current was not acted on: act on it now, or look once. */
    private void lookOnce(Incarnation started) {
        EarlyDeath death = early;
        if (death != null && death.containerId().equals(started.container().id())) {
            died(death.containerId(), death.exitCode(), death.reason(), death.at());
            return;
        }
        try {
            launcher.stopped(started.container()).ifPresent(s -> died(started.container().id(), -1,
                    "it stopped right after it started: " + s, Instant.now()));
        } catch (RuntimeException e) {
            LOG.debug("cannot look at the new workspace container", e);
        }
    }

    private synchronized void adopt(Incarnation started) {
        current = started;
        next.complete(started);
    }

    private Incarnation launch(int generation) {
        WorkspaceLauncher.Launched launched = launcher.launch(generation,
                d -> died(d.containerId(), d.exitCode(), d.reason(), d.at()));
        supervisor.started();
        AutoCloseable previous = watch; // closed only now: the event stream stays open between the two
        watch = launched.watch();
        closeQuietly(previous);
        return new Incarnation(generation, launched.container(), launched.agent());
    }

    private void tell(Consumer<Listener> call) {
        Listener l = listener;
        if (l != null) {
            call.accept(l);
        }
    }

    /** Stops supervising and removes the current container; never throws. */
    void close() {
        closing = true;
        Thread t = relauncher;
        if (t != null) {
            t.interrupt();
        }
        closeQuietly(watch);
        next.complete(null);
        Incarnation in = current;
        if (in != null) {
            launcher.remove(in.container(), in.agent());
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("closing failed", e);
            }
        }
    }
}
