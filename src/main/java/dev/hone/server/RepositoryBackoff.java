package dev.hone.server;

import dev.hone.time.Backoff;
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
