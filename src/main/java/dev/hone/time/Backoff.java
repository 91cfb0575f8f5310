package dev.hone.time;

import java.time.Duration;
import java.util.Objects;

/**
 * An exponential back-off, Hone's only one: the wait after failure {@code n} (1, 2, …) is {@code first ×
 * factor^(n−1)}, never more than {@code cap}. What counts as a failure, and when the count starts again, is the
 * user's: a repository that cannot be fetched, a delivery that failed, a container that stopped, a stream that
 * ended.
 */
public record Backoff(Duration first, double factor, Duration cap) {

    public Backoff {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(cap, "cap");
        if (first.isNegative() || cap.isNegative()) {
            throw new IllegalArgumentException("back-off durations must not be negative, got first " + first
                    + ", cap " + cap);
        }
        if (!(factor >= 1.0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("back-off factor must be 1 or more, got " + factor);
        }
    }

    /** {@code first}, then twice as long after every failure, up to {@code cap}. */
    public static Backoff doubling(Duration first, Duration cap) {
        return new Backoff(first, 2.0, cap);
    }

    /** The same schedule with another cap. */
    public Backoff withCap(Duration newCap) {
        return new Backoff(first, factor, newCap);
    }

    /** How long to wait after failure {@code failure} (1, 2, …) in a row. */
    public Duration delay(int failure) {
        if (failure < 1) {
            throw new IllegalArgumentException("failures are numbered from 1, got " + failure);
        }
        double nanos = first.toNanos() * Math.pow(factor, failure - 1);
        return nanos >= cap.toNanos() ? cap : Duration.ofNanos(Math.round(nanos));
    }
}
