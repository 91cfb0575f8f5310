package dev.hone.testing;

import dev.hone.time.Sleeper;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that moves only when a test advances it, and the {@link Sleeper} that goes with it: each sleep is recorded
 * and moves the clock on by its length, at once. {@link #onSleep} runs at every sleep with the sleep's number (1, 2,
 * …): the moment to bring a server back, or to stop what sleeps as a crash would.
 */
public final class FakeClock implements InstantSource, Sleeper {

    /** Run at a sleep, with its number. */
    public interface Hook {
        void at(int sleep) throws InterruptedException;
    }

    /** Where a clock starts unless told otherwise. */
    public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final AtomicReference<Instant> now;
    private final List<Duration> sleeps = new ArrayList<>();
    private volatile Hook onSleep = sleep -> { };

    public FakeClock() {
        this(START);
    }

    public FakeClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    public void advance(Duration d) {
        now.updateAndGet(t -> t.plus(d));
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        int number;
        synchronized (sleeps) {
            sleeps.add(duration);
            number = sleeps.size();
        }
        advance(duration);
        onSleep.at(number);
    }

    /** Runs {@code hook} at every sleep from now on; returns this clock. */
    public FakeClock onSleep(Hook hook) {
        this.onSleep = hook;
        return this;
    }

    /** The sleeps so far, in order. */
    public List<Duration> sleeps() {
        synchronized (sleeps) {
            return List.copyOf(sleeps);
        }
    }
}
