package dev.hone.notify;

import dev.hone.time.Sleeper;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that only moves when a courier sleeps: each sleep is recorded and moves the clock on by its length, at
 * once. {@link #onSleep} runs at every sleep with the sleep's number (1, 2, …): the moment to bring a server back,
 * or to stop the courier as a crash would.
 */
final class FakeTime implements InstantSource, Sleeper {

    interface Hook {
        void at(int sleep) throws InterruptedException;
    }

    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    private final AtomicReference<Instant> now;
    private final List<Duration> sleeps = new ArrayList<>();
    private volatile Hook onSleep = sleep -> { };

    FakeTime() {
        this(T0);
    }

    FakeTime(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        int number;
        synchronized (sleeps) {
            sleeps.add(duration);
            number = sleeps.size();
        }
        now.updateAndGet(t -> t.plus(duration));
        onSleep.at(number);
    }

    FakeTime onSleep(Hook hook) {
        this.onSleep = hook;
        return this;
    }

    List<Duration> sleeps() {
        synchronized (sleeps) {
            return List.copyOf(sleeps);
        }
    }
}
