package dev.hone.exec.docker;

import com.github.dockerjava.api.DockerClient;
import dev.hone.HoneException;
import dev.hone.supervise.Sleeper;
import dev.hone.supervise.Supervisor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a run's workspace container running: started from its {@link WorkspaceContainer.Plan}, watched through the
 * daemon's events, and when it dies unexpectedly started again from the very same plan (image, mounts, limits,
 * environment, labels) with fresh agent FIFOs, after the back-off its {@link Supervisor} says; past the policy's
 * limit it gives up. Each container is an {@link Incarnation}; commands run in the current one.
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

    /** How long the agent may take to listen once the container started. */
    static final Duration AGENT_START = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(WorkspaceSupervisor.class);

    private final DockerClient client;
    private final DockerClient quick;
    private final DockerEvents events;
    private final WorkspaceContainer.Plan plan;
    private final Ownership ownership;
    private final String runId;
    private final Supervisor supervisor;
    private final Sleeper sleeper;
    private volatile Listener listener;
    private volatile Incarnation current;
    private volatile AutoCloseable watch;
    private volatile CompletableFuture<Incarnation> next = CompletableFuture.completedFuture(null);
    private volatile String failed;
    private volatile boolean closing;
    private volatile Thread relauncher;

    private WorkspaceSupervisor(DockerClient client, DockerClient quick, DockerEvents events,
                                WorkspaceContainer.Plan plan, Ownership ownership, String runId,
                                Supervisor supervisor, Sleeper sleeper) {
        this.client = client;
        this.quick = quick;
        this.events = events;
        this.plan = plan;
        this.ownership = ownership;
        this.runId = runId;
        this.supervisor = supervisor;
        this.sleeper = sleeper;
    }

    /** Starts the first container and waits for its agent; throws (nothing left behind) when it does not start. */
    static WorkspaceSupervisor start(DockerClient client, DockerClient quick, DockerEvents events,
                                     WorkspaceContainer.Plan plan, Ownership ownership, String runId,
                                     Supervisor supervisor, Sleeper sleeper) {
        WorkspaceSupervisor s = new WorkspaceSupervisor(client, quick, events, plan, ownership, runId, supervisor,
                sleeper);
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
        if (closing || failed != null || dead == null || !dead.container().id().equals(containerId)
                || !next.isDone()) {
            return;
        }
        next = new CompletableFuture<>();
        LOG.warn("the workspace container {} of run {} died ({}); starting it again", containerId.substring(0, 12),
                runId, reason);
        Listener l = listener;
        if (l != null) {
            l.died(reason);
        }
        relauncher = Thread.ofPlatform().daemon().name("hone-relaunch-" + runId)
                .start(() -> relaunch(dead, exitCode == 0 ? -1 : exitCode, reason, at));
    }

    private void relaunch(Incarnation dead, int exitCode, String reason, Instant diedAt) {
        closeQuietly(watch);
        dead.agent().close();
        String why = reason;
        int code = exitCode;
        while (!closing) {
            Supervisor.Decision decision = supervisor.stopped(code);
            if (!(decision instanceof Supervisor.Restart restart)) {
                int restarts = decision instanceof Supervisor.GiveUp g ? g.inARow() : 0;
                String text = "the workspace container gave up after " + restarts + " restart"
                        + (restarts == 1 ? "" : "s") + ": " + why;
                fail(text);
                LOG.warn("{} (run {})", text, runId);
                Listener l = listener;
                if (l != null) {
                    l.gaveUp(restarts, why);
                }
                return;
            }
            try {
                sleeper.sleep(restart.delay());
                Incarnation started = launch(dead.generation() + 1);
                if (closing) {
                    remove(started);
                    break;
                }
                adopt(started);
                Duration downtime = Duration.between(diedAt, Instant.now());
                Listener l = listener;
                if (l != null) {
                    l.restarted(restart, why, downtime, started.container().id());
                }
                // a death between being watched and becoming current was not acted on: look once
                started.container().stopped(quick).ifPresent(s -> died(started.container().id(), -1,
                        "it stopped right after it started: " + s, Instant.now()));
                return;
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                why = "it did not start again: " + (e instanceof HoneException ? e.getMessage() : Docker.cause(e));
                code = -1;
            }
        }
        next.complete(null);
    }

    private synchronized void adopt(Incarnation started) {
        current = started;
        next.complete(started);
    }

    /** A new container from the plan, its agent listening, watched; on failure nothing is left behind. */
    private Incarnation launch(int generation) {
        Path agentDir = plan.agentDir();
        AgentChannel agent = null;
        WorkspaceContainer container = null;
        AutoCloseable watching = null;
        try {
            deleteFifos(agentDir);
            agent = AgentChannel.create(agentDir, ownership, runId == null ? "run" : runId);
            container = WorkspaceContainer.start(client, plan, name(generation));
            String id = container.id();
            watching = events.watch(id, d -> died(d.containerId(), d.exitCode(), d.reason(), d.at()));
            awaitAgent(agent, container);
            supervisor.started();
            watch = watching;
            return new Incarnation(generation, container, agent);
        } catch (RuntimeException e) {
            closeQuietly(watching);
            if (container != null) {
                try {
                    container.remove(client);
                } catch (RuntimeException ignored) {
                    // it removes itself once its agent sees the FIFO closed
                }
            }
            if (agent != null) {
                agent.close();
            }
            throw e;
        }
    }

    private void awaitAgent(AgentChannel agent, WorkspaceContainer container) {
        long until = System.nanoTime() + AGENT_START.toNanos();
        while (System.nanoTime() - until < 0) {
            try {
                agent.ready().get(100, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                var stopped = container.stopped(quick);
                if (stopped.isPresent()) {
                    throw new HoneException("the workspace container's agent did not start: the container "
                            + stopped.get() + agentLog());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HoneException("interrupted while the workspace container started");
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new HoneException("the workspace container's agent did not answer within " + AGENT_START.toSeconds()
                + "s" + agentLog());
    }

    private String agentLog() {
        try {
            String log = Files.readString(plan.agentDir().resolve("agent.log")).strip();
            return log.isEmpty() ? "" : "; the agent said: " + log;
        } catch (java.io.IOException e) {
            return "";
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
        Incarnation inc = current;
        if (inc != null) {
            remove(inc);
        }
    }

    private void remove(Incarnation inc) {
        try {
            inc.container().remove(client);
        } catch (RuntimeException e) {
            LOG.warn("could not remove the workspace container {}: {}; it removes itself when its agent sees Hone"
                    + " gone, and `docker rm -f {}` removes it now", inc.container().id(), Docker.cause(e),
                    inc.container().id().substring(0, 12));
        }
        inc.agent().close();
    }

    private String name(int generation) {
        String id = runId == null ? "" : runId.replaceAll("[^A-Za-z0-9_.-]", "-");
        return "hone-run-" + id + "-" + UUID.randomUUID().toString().substring(0, 8)
                + (generation == 0 ? "" : "-r" + generation);
    }

    private static void deleteFifos(Path agentDir) {
        try {
            Files.deleteIfExists(agentDir.resolve("requests"));
            Files.deleteIfExists(agentDir.resolve("events"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot replace the agent's FIFOs in " + agentDir + ": "
                    + e.getMessage(), e);
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
