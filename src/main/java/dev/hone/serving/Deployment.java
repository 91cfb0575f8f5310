package dev.hone.serving;

import dev.hone.exec.Containers;
import dev.hone.notify.Event;
import dev.hone.restart.Supervisor;
import dev.hone.time.Sleeper;
import java.io.IOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One project's model being served: Hone's {@link Forwarder} on the fixed port, the container behind it once its
 * health endpoint answers, and its supervision (a container that stops is started again from the same plan per the
 * restart policy, the port answering nothing meanwhile). A newer model replaces it blue-green: it starts and becomes
 * healthy beside the old one, the port switches, and the old one goes once its connections are done.
 */
final class Deployment implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Deployment.class);

    private final String project;
    private final Containers containers;
    private final Forwarder forwarder;
    private final Deployments.Options options;
    private final InstantSource clock;
    private final Sleeper sleeper;
    private final HealthCheck health;
    private final Liveness liveness;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Serving current;
    private volatile Supervisor supervisor;
    private volatile String state = "starting";
    private volatile String detail;
    private volatile Deployments.Target attempted;
    private volatile Instant since;
    private volatile Thread restarter;
    /** The model the one serving replaced, while the one serving is on probation ({@code serve.probation}); else null. */
    private volatile Deployments.Target previous;
    private volatile Instant probationEnds;

    Deployment(String project, int port, Containers containers, Deployments.Options options, InstantSource clock,
               Sleeper sleeper) throws IOException {
        this.project = project;
        this.containers = containers;
        this.forwarder = new Forwarder(port);
        this.options = options;
        this.clock = clock;
        this.sleeper = sleeper;
        this.health = new HealthCheck(options.checkTimeout());
        this.liveness = new Liveness(this, health, options, this::removeQuietly);
    }

    Deployments.Status status() {
        Serving s = current;
        Supervisor sup = supervisor;
        Deployments.Target model = s != null ? s.target() : attempted;
        // while restarting, and after giving up or stopping, the last container is gone: none serves
        boolean serving = s != null && "serving".equals(state);
        return new Deployments.Status(project, model == null ? 0 : model.runId(), model == null ? 0 : model.trial(),
                serving ? s.started().id() : null, forwarder.port(), state, sup == null ? 0 : sup.total(), detail,
                serving ? since : null);
    }

    Serving current() {
        return current;
    }

    /** serving, restarting, gave_up (past max_restarts), stopped (the policy does not restart it), failed. */
    String state() {
        return state;
    }

    /**
     * Puts {@code target} behind the port, blue-green; the container serving now goes on serving until the new one
     * is healthy, and goes on serving if it never is. Returns the status; on failure its detail says why.
     */
    Deployments.Status deploy(Deployments.Target target) {
        stopRestarting(); // a newer model supersedes restarting the old one
        lock.lock();
        try {
            attempted = target;
            Serving before = current;
            Optional<String> failure = startBehindPort(target, true);
            if (failure.isEmpty() && before != null && before.target().runId() != target.runId()) {
                previous = before.target(); // put back if the new model fails within its probation
                probationEnds = clock.instant().plus(target.serve().probation());
            }
            detail = failure.map(f -> "the new model was not deployed: " + f).orElse(null);
            if (failure.isPresent()) {
                target.alerts().accept(new Event.ContainerGaveUp(target.origin(), "for run " + target.runId(), 0,
                        failure.get() + (current == null ? "" : "; the previous model goes on serving"), List.of()));
                state = current == null ? "failed" : state;
            }
            return status();
        } finally {
            lock.unlock();
        }
    }

    /** Adopts a container an earlier Hone started and that still runs: health-checked, then behind the port. */
    Deployments.Status adopt(Deployments.Target target, Containers.Started running) {
        lock.lock();
        try {
            CompletableFuture<Containers.Stopped> stopped = new CompletableFuture<>();
            AutoCloseable watch = watch(running.id(), stopped);
            Optional<String> unhealthy = awaitHealthy(running, target, stopped);
            switchTo(new Serving(target, running, new Forwarder.Backend(running.hostPort()), watch), true);
            unhealthy.ifPresent(why -> removeQuietly(running.id())); // it stops: started again per the policy
            return status();
        } finally {
            lock.unlock();
        }
    }

    /** @param newModel a deployment (the restart count starts at 0), not a restart of the same model */
    private Optional<String> startBehindPort(Deployments.Target target, boolean newModel) {
        Containers.Started started;
        try {
            started = containers.start(target.plan());
        } catch (RuntimeException e) {
            return Optional.of("it did not start: " + e.getMessage());
        }
        CompletableFuture<Containers.Stopped> stopped = new CompletableFuture<>();
        AutoCloseable watch = watch(started.id(), stopped);
        Optional<String> unhealthy = awaitHealthy(started, target, stopped);
        if (unhealthy.isPresent()) {
            Serving.unwatch(watch);
            removeQuietly(started.id());
            return unhealthy;
        }
        switchTo(new Serving(target, started, new Forwarder.Backend(started.hostPort()), watch), newModel);
        return Optional.empty();
    }

    /** The new container serves from now on; the one before is removed once its connections are done. */
    private void switchTo(Serving next, boolean newModel) {
        Serving old = current;
        if (newModel || supervisor == null) {
            supervisor = new Supervisor(Deployments.policy(next.target().serve().restart(), options), clock);
        }
        supervisor.started();
        if (newModel || current == null) {
            since = clock.instant();
        }
        current = next;
        forwarder.switchTo(next.backend());
        state = "serving";
        liveness.watch(next);
        LOG.info("event=model_served project={} run={} trial={} container={} port={}", project,
                next.target().runId(), next.target().trial(), next.started().id().substring(0, 12), forwarder.port());
        if (old != null && !old.started().id().equals(next.started().id())) {
            old.unwatch();
            Thread.ofVirtual().name("hone-serve-drain").start(() -> {
                old.backend().drain(options.drain());
                removeQuietly(old.started().id());
            });
        }
    }

    /** Watches a container: {@code stopped} completes when it stops, and {@link #stopped} hears of it. */
    private AutoCloseable watch(String id, CompletableFuture<Containers.Stopped> stopped) {
        return containers.watch(id, s -> {
            stopped.complete(s);
            stopped(s);
        });
    }

    private Optional<String> awaitHealthy(Containers.Started started, Deployments.Target target,
                                          CompletableFuture<Containers.Stopped> stopped) {
        return health.awaitHealthy(started.hostPort(), target.serve().health(), options.startTimeout(),
                () -> stopped.isDone() ? Optional.of(stopped.join().reason()) : Optional.empty());
    }

    /** A container stopped; when it is the one serving, it is started again per the policy, on a thread of its own. */
    void stopped(Containers.Stopped stop) {
        Serving dead = current;
        if (dead == null || !dead.started().id().equals(stop.id()) || !"serving".equals(state)) {
            return;
        }
        Optional<String> unhealthy = liveness.reasonFor(stop.id());
        String reason = unhealthy.orElse(stop.reason());
        forwarder.switchTo(null);
        state = "restarting";
        restarter = Thread.ofPlatform().daemon().name("hone-serve-restart-" + project)
                .start(() -> restart(dead, stop.exitCode(), reason, unhealthy.isPresent(),
                        masked(stop.tail(), dead.target())));
    }

    /** True while the model serving is a newly promoted one within its {@code serve.probation}, with one to go back to. */
    private boolean onProbation() {
        Instant ends = probationEnds;
        return previous != null && ends != null && clock.instant().isBefore(ends);
    }

    /**
     * The newly promoted model of {@code dead} failed within its probation ({@code why}): the model it replaced serves
     * again, from its own plan, and {@code rolled_back} goes to the failed model's run. Returns false when the
     * previous model does not serve again either (then the failure is reported as usual).
     */
    private boolean rollBack(Serving dead, String why) {
        Deployments.Target back = previous;
        Deployments.Target failed = dead.target();
        previous = null;
        probationEnds = null;
        Optional<String> failure = startBehindPort(back, true);
        if (failure.isPresent()) {
            LOG.warn("event=rollback_failed project={} run={} reason=\"{}\"", project, back.runId(), failure.get());
            return false;
        }
        attempted = back;
        detail = "the model of run " + failed.runId() + " was rolled back: " + why;
        failed.alerts().accept(new Event.RolledBack(failed.origin(), failed.runId(), back.runId(), why,
                failed.serve().probation()));
        return true;
    }

    /** The container's last lines without the values of its secret variables (they go into events). */
    private static List<String> masked(List<String> tail, Deployments.Target target) {
        return tail == null ? List.of() : tail.stream().map(target.masks()::apply).toList();
    }

    private void restart(Serving dead, int exitCode, String reason, boolean unhealthy, List<String> tail) {
        lock.lock();
        try {
            if (current != dead) {
                return; // a newer model was deployed meanwhile
            }
            dead.unwatch();
            removeQuietly(dead.started().id());
            if (unhealthy && onProbation() && rollBack(dead, reason)) {
                return;
            }
            Deployments.Target target = dead.target();
            String why = reason;
            int code = exitCode;
            while (true) {
                Supervisor.Decision decision = supervisor.stopped(code);
                if (decision instanceof Supervisor.GiveUp g && onProbation() && rollBack(dead, why + "; " + g.reason())) {
                    return;
                }
                if (!(decision instanceof Supervisor.Restart restart)) {
                    boolean gaveUp = decision instanceof Supervisor.GiveUp;
                    detail = why + "; " + (decision instanceof Supervisor.GiveUp g ? g.reason()
                            : ((Supervisor.LeaveStopped) decision).reason());
                    // recorded before the state says so: whoever sees "gave_up" finds the event in the store
                    target.alerts().accept(new Event.ContainerGaveUp(target.origin(), dead.started().id()
                            .substring(0, 12), gaveUp ? ((Supervisor.GiveUp) decision).inARow() : 0, detail, tail));
                    state = gaveUp ? "gave_up" : "stopped";
                    return;
                }
                sleeper.sleep(restart.delay());
                Optional<String> failure = startBehindPort(target, false);
                if (failure.isEmpty()) {
                    Integer max = restart.inARow() == restart.total() ? target.serve().restart().maxRestarts() : null;
                    target.alerts().accept(new Event.ContainerRestarted(target.origin(),
                            current.started().id().substring(0, 12), restart.total(), max, why, tail));
                    return;
                }
                why = failure.get();
                code = -1;
            }
        } catch (InterruptedException e) {
            LOG.info("restarting the model of {} stopped: a newer one is deployed, or Hone stops", project);
        } finally {
            restarter = null;
            lock.unlock();
        }
    }

    private void stopRestarting() {
        Thread t = restarter;
        if (t != null) {
            t.interrupt();
        }
    }

    private void removeQuietly(String id) {
        try {
            containers.remove(id);
        } catch (RuntimeException e) {
            LOG.warn("could not remove container {}: {}", id, e.getMessage());
        }
    }

    /** Stops serving and removes the container. */
    void retire() {
        close();
        Serving s = current;
        if (s != null) {
            removeQuietly(s.started().id());
        }
    }

    /** Stops serving (the port closes) and supervising; the container goes on running for the next Hone. */
    @Override
    public void close() {
        stopRestarting();
        liveness.close();
        forwarder.close();
        Serving s = current;
        if (s != null) {
            s.unwatch();
        }
    }
}
