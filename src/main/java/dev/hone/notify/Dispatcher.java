package dev.hone.notify;

import dev.hone.run.DeliveryStatus;
import dev.hone.spec.Spec;
import dev.hone.store.Outbox;
import dev.hone.store.OutboxEntry;
import dev.hone.store.OutboxRow;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * Routes an event to every channel of its run when its type is in {@code notify.on}: each notification is written
 * to the outbox first, then the {@link Courier} delivers them all at once, each on its own, with retries. The
 * outcomes come back after a bounded wait, for the run summary; what is still being tried then goes on in the
 * background and is recorded when it ends.
 */
public final class Dispatcher implements AutoCloseable {

    /** How long a run waits for its notifications before it ends ({@code hone run} exits after them). */
    public static final Duration WAIT = Duration.ofSeconds(30);

    private final Courier courier;
    private final Outbox outbox;
    private final Channels channels;
    private final InstantSource clock;
    private final Duration wait;
    private final NoticeJson json = new NoticeJson();

    public Dispatcher(Courier courier, Outbox outbox, Channels channels, InstantSource clock, Duration wait) {
        this.courier = courier;
        this.outbox = outbox;
        this.channels = channels;
        this.clock = clock;
        this.wait = wait;
    }

    /**
     * Notifies every channel of the run that takes the event and waits, at most {@link #WAIT} (or as configured),
     * for the deliveries. Dispatching the same event of the same run again sends nothing new: it waits for the
     * first dispatch's deliveries.
     *
     * @param runId  the run the event belongs to; null outside a run
     * @param notify the run's {@code notify:} from hone.yaml; null: every event, the installation's channels
     * @return one outcome per channel: sent, failed, or pending (still being tried)
     */
    public List<Delivery> dispatch(Long runId, Event event, Spec.Notify notify) {
        if (notify != null && notify.on() != null && !notify.on().contains(event.type())) {
            return List.of();
        }
        Redaction redaction = channels.redaction(notify);
        String link = channels.link(runId);
        List<String> keys = new ArrayList<>();
        for (Notifier channel : channels.of(notify)) {
            if (!channel.accepts(event)) {
                continue;
            }
            courier.register(channel);
            String key = key(runId, event, channel.route(), clock.millis());
            String payload = json.write(new Notice(runId, event, link, key), redaction);
            outbox.enqueue(new OutboxEntry(runId, event.type(), channel.channel(), channel.route(), key, payload,
                    clock.instant()));
            keys.add(key);
        }
        keys.forEach(courier::deliver);
        return courier.await(keys, wait).stream().flatMap(Optional::stream).map(Dispatcher::delivery).toList();
    }

    /**
     * Picks up what the outbox holds unfinished — written by a process that stopped before it was delivered, or
     * held by a courier that died (free again once its lease ends) — through the channels its run has: those of
     * the {@code notify:} of {@code specOfRun} (the run's spec; empty when it can no longer be read), or the
     * installation's for an entry outside a run. An entry whose channel cannot be rebuilt here waits for a process
     * that has it. A long-running server calls this at start and then now and then.
     */
    public void resume(LongFunction<Optional<Spec>> specOfRun) {
        Set<Long> runs = new LinkedHashSet<>();
        boolean installation = false;
        for (OutboxRow row : outbox.unfinished()) {
            if (!courier.serves(row.route())) {
                if (row.runId() == null) {
                    installation = true;
                } else {
                    runs.add(row.runId());
                }
            }
        }
        if (installation) {
            channels.of(null).forEach(courier::register);
        }
        for (long run : runs) {
            specOfRun.apply(run).ifPresent(spec -> channels.of(spec.notifications()).forEach(courier::register));
        }
        courier.resume();
    }

    /** Stops the deliveries under way; what is unfinished stays in the outbox for the next start. */
    @Override
    public void close() {
        courier.close();
    }

    /**
     * The same for every attempt and after a restart: {@code hone-run7-target_reached-email.3fa2c1d0e9}. Events
     * that can happen more than once in a run carry their container and count; events outside a run, the time
     * ({@code stamp}).
     */
    static String key(Long runId, Event event, String route, long stamp) {
        String source = runId != null ? "run" + runId
                : event.origin().project().replaceAll("[^A-Za-z0-9._-]", "_") + "-" + stamp;
        String occurrence = switch (event) {
            case Event.ContainerRestarted e -> "-" + safe(e.container()) + "-" + e.restarts();
            case Event.ContainerGaveUp e -> "-" + safe(e.container());
            case Event.JobRequeued e -> "-" + safe(e.job()) + "-" + e.requeues();
            default -> "";
        };
        return "hone-" + source + "-" + event.type() + occurrence + "-" + route;
    }

    private static String safe(String text) {
        return String.valueOf(text).replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static Delivery delivery(OutboxRow row) {
        return switch (row.status()) {
            case SENT -> new Delivery(row.event(), row.channel(), DeliveryStatus.SENT, row.detail());
            case FAILED -> new Delivery(row.event(), row.channel(), DeliveryStatus.FAILED, row.lastError());
            default -> new Delivery(row.event(), row.channel(), DeliveryStatus.PENDING, row.lastError() == null
                    ? "being sent; Hone keeps trying"
                    : "not delivered yet (" + row.lastError() + "); Hone keeps trying");
        };
    }
}
