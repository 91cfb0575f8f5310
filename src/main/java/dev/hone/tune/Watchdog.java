package dev.hone.tune;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Fires once when the clock passes a deadline. It waits the remaining time as the clock tells it, in steps of at
 * most {@link #STEP} so that a clock that jumps (a test's fake clock, a suspended laptop) is noticed soon.
 */
final class Watchdog implements AutoCloseable {

    static final Duration STEP = Duration.ofMillis(200);

    private final InstantSource clock;
    private final Instant deadline;
    private final Runnable onDeadline;
    private final ScheduledExecutorService scheduler;

    Watchdog(InstantSource clock, Instant deadline, Runnable onDeadline) {
        this.clock = clock;
        this.deadline = deadline;
        this.onDeadline = onDeadline;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hone-study-watchdog");
            t.setDaemon(true);
            return t;
        });
        schedule();
    }

    private void schedule() {
        Duration remaining = Duration.between(clock.instant(), deadline);
        if (remaining.isNegative() || remaining.isZero()) {
            scheduler.execute(onDeadline);
            return;
        }
        long wait = Math.min(remaining.toNanos(), STEP.toNanos());
        scheduler.schedule(this::schedule, wait, TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
