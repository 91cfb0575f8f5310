package dev.hone.pipeline;

import dev.hone.notify.Delivery;
import dev.hone.notify.Dispatcher;
import dev.hone.notify.Event;
import dev.hone.run.RunEvent;
import dev.hone.spec.Spec;
import dev.hone.store.Store;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a run's events go: each is added to the run's events and routed to the run's channels ({@code notify.on})
 * through the outbox. The run's end {@linkplain #send sends} its outcome and waits for the deliveries, for the
 * summary; supervision {@linkplain #report reports} {@code container_restarted} and {@code container_gave_up} in the
 * background, so a restart never waits for a mail server, and {@link #await} collects those deliveries later.
 */
public final class Alerts {

    private static final Logger LOG = LoggerFactory.getLogger(Alerts.class);

    private final Store store;
    private final Dispatcher dispatcher;
    private final InstantSource clock;
    private final long runId;
    private final Spec.Notify notify;
    private final List<CompletableFuture<List<Delivery>>> sent = new CopyOnWriteArrayList<>();

    /** @param notify the run's {@code notify:}; null: every event to the installation's channels */
    public Alerts(Store store, Dispatcher dispatcher, InstantSource clock, long runId, Spec.Notify notify) {
        this.store = store;
        this.dispatcher = dispatcher;
        this.clock = clock;
        this.runId = runId;
        this.notify = notify;
    }

    public long runId() {
        return runId;
    }

    /**
     * Records {@code event} on the run and notifies its channels; returns the deliveries (the outbox records each
     * final outcome in the run's notifications).
     */
    List<Delivery> send(Event event) {
        record(event);
        return dispatcher.dispatch(runId, event, notify);
    }

    /** Records {@code event} on the run and starts notifying; returns at once. */
    public void report(Event event) {
        LOG.warn("event={} run={} message=\"{}\"", event.type(), runId, event.message());
        try {
            record(event);
        } catch (RuntimeException e) {
            LOG.error("could not record {} of run {}: {}", event.type(), runId, e.getMessage());
        }
        CompletableFuture<List<Delivery>> delivery = new CompletableFuture<>();
        sent.add(delivery);
        Thread.ofVirtual().name("hone-alert-" + event.type()).start(() -> {
            try {
                delivery.complete(dispatcher.dispatch(runId, event, notify));
            } catch (RuntimeException e) {
                LOG.error("could not notify {} of run {}: {}", event.type(), runId, e.getMessage());
                delivery.complete(List.of());
            }
        });
    }

    /** Records {@code event} on the run, for its log only: nobody is notified. */
    void log(RunEvent event) {
        LOG.info("event={} run={} message=\"{}\"", event.type(), runId, event.message());
        store.addEvent(runId, event, clock.instant());
    }

    private void record(Event event) {
        store.addEvent(runId, event, clock.instant());
    }

    /** The deliveries of every event reported so far, waiting at most {@code max} in all. */
    public List<Delivery> await(Duration max) {
        long until = System.nanoTime() + max.toNanos();
        List<Delivery> deliveries = new ArrayList<>();
        for (CompletableFuture<List<Delivery>> f : sent) {
            try {
                deliveries.addAll(f.get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (TimeoutException | ExecutionException e) {
                // still being sent: the outbox records it when it ends
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return deliveries;
    }
}
