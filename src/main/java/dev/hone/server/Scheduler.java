package dev.hone.server;

import dev.hone.logging.LogFormat;
import dev.hone.pipeline.Pipeline;
import dev.hone.run.RunEvent;
import dev.hone.run.RunStatus;
import dev.hone.store.RunRow;
import dev.hone.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Takes queued runs oldest first and hands them to a pool of workers, within the {@link QueuePolicy}: so many runs
 * at once, so many per project, one per branch; a burst of pushes to one branch coalesces to its newest commit.
 * Wakes when a run is queued, and once a second anyway (runs queued by another process, repositories whose
 * backoff ended).
 */
final class Scheduler {

    /** A run a worker has: its pipeline once it has one; cancelled by the API or by shutdown. */
    private static final class Active {
        final RunRow run;
        volatile Pipeline pipeline;
        volatile boolean cancelled;

        Active(RunRow run) {
            this.run = run;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

    private final Store store;
    private final QueuePolicy policy;
    private final RunWorker worker;
    private final RepositoryBackoff backoff;
    private final Supplier<Pipeline> pipelines;
    private final InstantSource clock;
    private final String controller;
    private final Duration lease;
    private final Map<Long, Active> active = new ConcurrentHashMap<>();
    private final ExecutorService workers;
    private final Object signal = new Object();
    private final Thread loop;
    /** Told how long each run that starts waited in the queue. */
    private final Consumer<Duration> waited;
    private volatile boolean stopping;
    private boolean woken; // guarded by signal

    /**
     * @param controller this controller's id, which the runs it claims are leased to
     * @param lease      how long a claim holds before it must be renewed ({@link Leases})
     */
    Scheduler(Store store, QueuePolicy policy, RunWorker worker, RepositoryBackoff backoff,
              Supplier<Pipeline> pipelines, InstantSource clock, String controller, Duration lease,
              Consumer<Duration> waited) {
        this.store = store;
        this.policy = policy;
        this.worker = worker;
        this.backoff = backoff;
        this.pipelines = pipelines;
        this.clock = clock;
        this.controller = controller;
        this.lease = lease;
        this.waited = waited;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(policy.runs(),
                r -> new Thread(r, "hone-run-" + n.incrementAndGet()));
        this.loop = new Thread(this::loop, "hone-scheduler");
        this.loop.setDaemon(true);
    }

    void start() {
        loop.start();
    }

    void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    /**
     * Cancels a queued or running run on behalf of the token named {@code by}, recording who and when; empty when
     * it is neither (finished, or unknown).
     */
    Optional<Cancellation> cancel(long runId, String by) {
        if (!store.run(runId).map(run -> run.status().live()).orElse(false)) {
            return Optional.empty();
        }
        Active a = active.get(runId);
        if (a != null) {
            Instant at = clock.instant();
            store.recordCancellation(runId, by, at);
            store.addEvent(runId, new RunEvent.Cancelled(by, true), at);
            a.cancelled = true;
            Pipeline p = a.pipeline;
            if (p != null) {
                p.cancel();
            }
            return Optional.of(Cancellation.STOPPING);
        }
        Instant at = clock.instant();
        boolean ended = store.queue().endQueued(runId, RunStatus.CANCELLED, new RunEvent.Cancelled(by, false), at);
        if (ended) {
            store.recordCancellation(runId, by, at);
        }
        return ended ? Optional.of(Cancellation.ENDED) : Optional.empty();
    }

    private void loop() {
        while (!stopping) {
            try {
                tick();
            } catch (RuntimeException e) {
                LOG.error("event=scheduler_error reason=\"{}\"", e.toString());
            }
            synchronized (signal) {
                if (!woken && !stopping) {
                    try {
                        signal.wait(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                woken = false;
            }
        }
    }

    /** One look at the queue: supersede what a newer push replaced, start what the limits allow. */
    synchronized void tick() {
        if (stopping) {
            return;
        }
        List<RunRow> queued = policy.coalesce() ? coalesce(store.queue().queued()) : store.queue().queued();
        for (RunRow run : queued) {
            if (active.size() >= policy.runs()) {
                return;
            }
            boolean branchBusy = run.branch() != null && active.values().stream().anyMatch(a ->
                    Objects.equals(a.run.source(), run.source()) && run.branch().equals(a.run.branch()));
            long ofProject = active.values().stream().filter(a -> a.run.project().equals(run.project())).count();
            if (branchBusy || ofProject >= policy.runsPerProject() || backoff.waiting(run.source())
                    || !store.queue().claim(run.id(), controller, clock.instant().plus(lease))) {
                continue;
            }
            Active a = new Active(run);
            active.put(run.id(), a);
            LOG.info("event=run_started run={} project={} branch={} commit={}", run.id(), run.project(),
                    run.branch(), run.commit());
            if (run.trialCount() == 0) { // a resumed run waited for a restart, not in the queue
                waited.accept(Duration.between(run.createdAt(), clock.instant()));
            }
            workers.submit(() -> work(a));
        }
    }

    /** Ends every queued run but the newest of each repository and branch as superseded; returns the rest. */
    private List<RunRow> coalesce(List<RunRow> queued) {
        Map<String, RunRow> newest = new LinkedHashMap<>();
        for (RunRow run : queued) {
            if (run.branch() != null) {
                newest.merge(run.source() + "\n" + run.branch(), run,
                        (a, b) -> a.id() > b.id() ? a : b);
            }
        }
        List<RunRow> kept = new ArrayList<>();
        for (RunRow run : queued) {
            RunRow latest = run.branch() == null ? run : newest.get(run.source() + "\n" + run.branch());
            if (latest.id() == run.id()) {
                kept.add(run);
                continue;
            }
            store.queue().endQueued(run.id(), RunStatus.SUPERSEDED,
                    new RunEvent.Superseded(run.branch(), latest.id(), latest.commit()), clock.instant());
            LOG.info("event=run_superseded run={} by={}", run.id(), latest.id());
        }
        kept.sort(Comparator.comparingLong(RunRow::id));
        return kept;
    }

    private void work(Active a) {
        try (MDC.MDCCloseable run = MDC.putCloseable(LogFormat.RUN, Long.toString(a.run.id()))) {
            Optional<Path> checkout = worker.checkout(a.run);
            if (checkout.isEmpty()) {
                return;
            }
            Pipeline pipeline = pipelines.get();
            a.pipeline = pipeline;
            if (a.cancelled) {
                pipeline.cancel();
            }
            worker.run(a.run, checkout.get(), pipeline);
        } catch (RuntimeException e) {
            LOG.error("event=worker_error run={} reason=\"{}\"", a.run.id(), e.toString());
        } finally {
            if (stopping && active.remove(a.run.id()) != null) {
                interrupted(a.run.id());
            }
            active.remove(a.run.id());
            wake();
        }
    }

    /**
     * Stops taking runs, cancels the running ones and waits up to {@code grace} for them to stop; every run that
     * was running ends {@code interrupted}, with an event, so it can be resumed. Queued runs stay queued.
     */
    void stop(Duration grace) {
        stopping = true;
        wake();
        synchronized (this) {
            active.values().forEach(a -> {
                a.cancelled = true;
                if (a.pipeline != null) {
                    a.pipeline.cancel();
                }
            });
        }
        workers.shutdown();
        try {
            workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Long id : List.copyOf(active.keySet())) {
            if (active.remove(id) != null) {
                interrupted(id);
            }
        }
        workers.shutdownNow();
        try { // another controller need not wait for them to expire
            store.queue().release(controller);
        } catch (RuntimeException e) {
            LOG.warn("event=leases_not_released controller={} reason=\"{}\"", controller, e.toString());
        }
    }

    /** Whether this scheduler has run {@code runId} in hand (claimed, and not yet ended). */
    boolean has(long runId) {
        return active.containsKey(runId);
    }

    private void interrupted(long runId) {
        try {
            Optional<RunRow> run = store.run(runId);
            RunStatus status = run.map(RunRow::status).orElse(null);
            if (status != RunStatus.RUNNING && status != RunStatus.CANCELLED) {
                return; // it ended on its own, or went back to the queue
            }
            Integer best = run.get().bestTrial();
            store.finishRun(runId, RunStatus.INTERRUPTED, best, clock.instant());
            store.addEvent(runId, new RunEvent.Interrupted(RunEvent.Interrupted.Cause.SERVE_STOPPED),
                    clock.instant());
            LOG.info("event=run_interrupted run={}", runId);
        } catch (RuntimeException e) {
            LOG.error("event=interrupt_record_failed run={} reason=\"{}\"", runId, e.toString());
        }
    }

    int running() {
        return active.size();
    }
}
