package dev.hone.server;

import dev.hone.time.Backoff;
import dev.hone.time.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Repositories that could not be reached, and when to try each again: the wait follows {@link Backoff} with every
 * failure in a row, and a success forgets it. Only the failing repository waits.
 */
final class RepositoryBackoff {

    /** 5 s after the first failure, doubling up to 10 minutes. */
    static final Backoff UNREACHABLE = Backoff.doubling(Duration.ofSeconds(5), Duration.ofMinutes(10));

    private record State(int failures, Instant until) {}

    private final InstantSource clock;
    private final Backoff backoff;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    RepositoryBackoff(InstantSource clock, Backoff backoff) {
        this.clock = clock;
        this.backoff = backoff;
    }

    /** Records a failure of {@code source}; returns how long it waits before the next attempt. */
    Duration failed(String source) {
        State next = states.merge(source, new State(1, null), (old, one) -> new State(old.failures() + 1, null));
        Duration wait = backoff.delay(next.failures());
        states.put(source, new State(next.failures(), clock.instant().plus(wait)));
        return wait;
    }

    /**
     * When {@code source}, failing, is tried again, for messages: {@code trying again in 5s (then 10s, 20s, 40s, …
     * up to 10m apart while it fails)}; {@code next} is the wait before the next attempt.
     */
    String schedule(String source, Duration next) {
        return "trying again in " + retry(source, next);
    }

    /** {@link #schedule} without "trying again in ": {@code 5s (then 10s, 20s, 40s, … up to 10m apart while it fails)}. */
    String retry(String source, Duration next) {
        int failures = Math.max(1, failures(source));
        Duration cap = backoff.cap();
        if (backoff.delay(failures).compareTo(cap) >= 0) {
            return Durations.format(next) + " (and every " + Durations.format(cap) + " while it fails)";
        }
        StringBuilder then = new StringBuilder();
        for (int i = 1; i <= 3 && backoff.delay(failures + i - 1).compareTo(cap) < 0; i++) {
            then.append(Durations.format(backoff.delay(failures + i))).append(", ");
        }
        return Durations.format(next) + " (then " + then + "… up to " + Durations.format(cap) + " apart while it fails)";
    }

    /** Records a success; true when {@code source} had been failing (it recovered). */
    boolean succeeded(String source) {
        return states.remove(source) != null;
    }

    /** True while {@code source} waits after a failure. */
    boolean waiting(String source) {
        State state = states.get(source);
        return state != null && state.until() != null && clock.instant().isBefore(state.until());
    }

    /** Failures in a row of {@code source}, 0 when it is fine. */
    int failures(String source) {
        State state = states.get(source);
        return state == null ? 0 : state.failures();
    }
}
