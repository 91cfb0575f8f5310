package dev.hone.notify;

import dev.hone.run.DeliveryStatus;
import dev.hone.store.Outbox;
import dev.hone.store.OutboxRow;
import dev.hone.store.StoreException;
import dev.hone.time.Backoff;
import dev.hone.time.Sleeper;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Delivers what the {@link Outbox} holds. Each delivery has a thread of its own (a virtual thread), so a channel
 * that hangs or fails never delays another. Before each attempt the delivery claims its entry, so no other courier,
 * in this process or another, sends it at the same time; a failed attempt is tried again after a backoff that
 * grows ({@link Retry}) until it succeeds, fails for good or runs out of attempts. Every outcome is written to
 * the outbox, and the final one to the run's notifications. Entries a stopped process left unfinished are picked up
 * when their channel is {@linkplain #register registered}, and by {@link #resume()}.
 */
public final class Courier implements AutoCloseable {

    /**
     * How often, and how patiently, to try: attempt n+1 comes {@code backoff.delay(n)} after attempt n failed, and
     * there are at most {@code attempts}. A claim holds an entry for {@code lease}: a courier that died while sending
     * frees its entries when their lease ends.
     */
    public record Retry(int attempts, Backoff backoff, Duration lease) {

        /** Five attempts, 1 s after the first failure, doubling up to a minute; a two-minute lease. */
        public static final Retry DEFAULT = new Retry(5, Backoff.doubling(Duration.ofSeconds(1), Duration.ofMinutes(1)),
                Duration.ofMinutes(2));

        public Retry {
            if (attempts < 1) {
                throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
            }
        }
    }

    private final Outbox outbox;
    private final InstantSource clock;
    private final Sleeper sleeper;
    private final Retry retry;
    private final NoticeJson json = new NoticeJson();
    private final Map<String, Notifier> routes = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<OutboxRow>> deliveries = new ConcurrentHashMap<>();
    private final ExecutorService threads =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("hone-courier-", 1).factory());

    public Courier(Outbox outbox, InstantSource clock, Sleeper sleeper, Retry retry) {
        this.outbox = outbox;
        this.clock = clock;
        this.sleeper = sleeper;
        this.retry = retry;
    }

    /**
     * Lets this courier deliver through {@code notifier}'s route. The first time a route is registered, its
     * entries that are still unfinished in the outbox (left by a process that stopped) are picked up.
     */
    public void register(Notifier notifier) {
        if (routes.putIfAbsent(notifier.route(), notifier) == null) {
            outbox.unfinished(notifier.route()).forEach(this::deliver);
        }
    }

    /** True when {@code route} is registered here. */
    boolean serves(String route) {
        return routes.containsKey(route);
    }

    /**
     * Picks up again the unfinished entries of every registered route that no courier holds: those left pending,
     * and those whose courier died while sending (its lease has ended). A long-running server calls it now and then.
     */
    public void resume() {
        routes.keySet().forEach(route -> outbox.unfinished(route).forEach(this::deliver));
    }

    /** Starts delivering the entry with {@code key}, unless this courier is already at it. */
    void deliver(String key) {
        outbox.find(key).ifPresent(this::deliver);
    }

    private void deliver(OutboxRow row) {
        if (row.finished() || threads.isShutdown()) {
            return;
        }
        String key = row.idempotencyKey();
        CompletableFuture<OutboxRow> done = new CompletableFuture<>();
        if (deliveries.putIfAbsent(key, done) != null) {
            return;
        }
        try {
            threads.execute(() -> {
                OutboxRow last = row;
                try {
                    last = run(row);
                } finally {
                    deliveries.remove(key, done);
                    done.complete(last);
                }
            });
        } catch (RejectedExecutionException closed) {
            deliveries.remove(key, done);
            done.complete(row);
        }
    }

    /**
     * Waits until the entries with these keys are finished, or {@code max} has passed, and returns each as the
     * outbox has it then (empty for a key it does not hold).
     */
    List<Optional<OutboxRow>> await(Collection<String> keys, Duration max) {
        CompletableFuture<?>[] running = keys.stream().map(deliveries::get).filter(f -> f != null)
                .toArray(CompletableFuture[]::new);
        waitFor(CompletableFuture.allOf(running), max);
        return keys.stream().map(outbox::find).toList();
    }

    /** Waits up to {@code max} for every delivery under way; true when none is left. */
    public boolean drain(Duration max) {
        waitFor(CompletableFuture.allOf(deliveries.values().toArray(CompletableFuture[]::new)), max);
        return deliveries.isEmpty();
    }

    /** Stops every delivery; what is unfinished stays in the outbox for the next courier. */
    @Override
    public void close() {
        threads.shutdownNow();
    }

    /** One delivery, attempt after attempt, until it is finished, or claimed by another courier, or stopped. */
    private OutboxRow run(OutboxRow row) {
        OutboxRow current = row;
        try {
            while (true) {
                Duration wait = Duration.between(clock.instant(), current.nextAttemptAt());
                if (current.status() == DeliveryStatus.SENDING && !wait.isNegative()) {
                    return current; // another courier holds it; if it dies, resume() finds it after the lease
                }
                if (wait.isPositive()) {
                    sleeper.sleep(wait);
                }
                Instant now = clock.instant();
                Optional<OutboxRow> claim = outbox.claim(current.id(), now, now.plus(retry.lease()));
                if (claim.isEmpty()) {
                    return latest(current);
                }
                OutboxRow claimed = claim.get();
                if (attempt(claimed)) {
                    return latest(claimed);
                }
                current = latest(claimed);
                if (current.finished() || current.status() != DeliveryStatus.PENDING) {
                    return current;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return current;
        } catch (StoreException e) {
            return current; // the store was closed under us: the entry stays for the next courier
        }
    }

    /** Sends once; true when the entry is finished (sent, or failed for good). */
    private boolean attempt(OutboxRow claimed) {
        Notifier notifier = routes.get(claimed.route());
        String detail;
        try {
            if (notifier == null) {
                throw DeliveryException.permanent("no channel " + claimed.route() + " is configured here", null);
            }
            detail = notifier.send(json.read(claimed.payload(), claimed.idempotencyKey()));
        } catch (RuntimeException e) {
            return failed(claimed, e);
        }
        outbox.sent(claimed, Redaction.NONE.error(detail)
                + (claimed.attempts() > 1 ? " (attempt " + claimed.attempts() + ")" : ""), clock.instant());
        return true;
    }

    /** Records a failed attempt: pending again after the backoff, or failed for good; true in the latter case. */
    private boolean failed(OutboxRow claimed, RuntimeException e) {
        String error = Redaction.NONE.error(e.getMessage() == null ? e.toString() : e.getMessage());
        boolean retryable = !(e instanceof DeliveryException d) || d.retryable();
        if (!retryable || claimed.attempts() >= retry.attempts()) {
            outbox.failed(claimed, retryable ? "gave up after " + claimed.attempts() + " attempts: " + error : error,
                    clock.instant());
            return true;
        }
        outbox.retry(claimed, "attempt " + claimed.attempts() + ": " + error,
                clock.instant().plus(retry.backoff().delay(claimed.attempts())));
        return Thread.currentThread().isInterrupted();
    }

    private OutboxRow latest(OutboxRow row) {
        return outbox.find(row.idempotencyKey()).orElse(row);
    }

    private static void waitFor(CompletableFuture<?> all, Duration max) {
        try {
            all.get(Math.max(0, max.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // the caller reads what the outbox holds
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
