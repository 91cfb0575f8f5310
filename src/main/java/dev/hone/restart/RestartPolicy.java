package dev.hone.restart;

import dev.hone.spec.Spec;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * When a supervised container that stopped is started again, how many times, and how long Hone waits first:
 * Docker's {@code on-failure | always | no} with an exponential back-off whose cap is a setting (Docker doubles from
 * 100 ms to a fixed minute; Kubernetes from 10 s to a fixed five minutes).
 *
 * @param maxRestarts restarts in a row (without a healthy period between them) before Hone gives up; 0: none
 */
public record RestartPolicy(Mode mode, int maxRestarts, Backoff backoff) {

    public enum Mode {
        /** Started again when it stopped with a non-zero exit code (or was killed). */
        ON_FAILURE,
        /** Started again whenever it stopped on its own. */
        ALWAYS,
        /** Never started again. */
        NEVER;

        /** on-failure, always, never: as hone.yaml says it. */
        public String word() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * The waits before restarts: the first restart waits {@code first} (0: at once, as "immediately launch a new
     * one" asks), the k-th (k ≥ 2) {@code base × factor^(k−2)}, never more than {@code cap}. A container that ran
     * for {@code resetAfter} before it stopped counts as healthy: its restarts in a row start again from 0.
     */
    public record Backoff(Duration first, Duration base, double factor, Duration cap, Duration resetAfter) {

        /** At once, then 100 ms, 200 ms, 400 ms, … up to 30 s; reset after 10 s of running. */
        public static final Backoff DEFAULT = new Backoff(Duration.ZERO, Duration.ofMillis(100), 2.0,
                Duration.ofSeconds(30), Duration.ofSeconds(10));

        public Backoff {
            Objects.requireNonNull(first, "first");
            Objects.requireNonNull(base, "base");
            Objects.requireNonNull(cap, "cap");
            Objects.requireNonNull(resetAfter, "resetAfter");
            if (first.isNegative() || base.isNegative() || cap.isNegative() || resetAfter.isNegative()) {
                throw new IllegalArgumentException("back-off durations must not be negative, got first " + first
                        + ", base " + base + ", cap " + cap + ", reset after " + resetAfter);
            }
            if (!(factor >= 1.0) || Double.isInfinite(factor)) {
                throw new IllegalArgumentException("back-off factor must be 1 or more, got " + factor);
            }
        }

        /** The same schedule with another cap: the longest wait between two restarts. */
        public Backoff withCap(Duration newCap) {
            return new Backoff(first, base, factor, newCap, resetAfter);
        }

        /** The same schedule with another healthy period (0: every stop counts as a first one). */
        public Backoff withResetAfter(Duration healthy) {
            return new Backoff(first, base, factor, cap, healthy);
        }

        /** How long to wait before restart number {@code restart} (1, 2, …) of a run of restarts. */
        public Duration delay(int restart) {
            if (restart < 1) {
                throw new IllegalArgumentException("restarts are numbered from 1, got " + restart);
            }
            if (restart == 1) {
                return min(first, cap);
            }
            double millis = base.toMillis() * Math.pow(factor, restart - 2);
            return millis >= cap.toMillis() ? cap : min(Duration.ofMillis(Math.round(millis)), cap);
        }

        private static Duration min(Duration a, Duration b) {
            return a.compareTo(b) <= 0 ? a : b;
        }
    }

    public RestartPolicy {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(backoff, "backoff");
        if (maxRestarts < 0) {
            throw new IllegalArgumentException("max_restarts must not be negative, got " + maxRestarts);
        }
    }

    /** The workspace container of a run: restarted after any unexpected stop, 3 times in a row at most. */
    public static final RestartPolicy WORKSPACE = new RestartPolicy(Mode.ON_FAILURE, 3, Backoff.DEFAULT);

    /** {@code serve.restart} of hone.yaml, with the default back-off. */
    public static RestartPolicy of(Spec.Restart restart) {
        return of(restart, Backoff.DEFAULT.withCap(restart.maxBackoff()));
    }

    public static RestartPolicy of(Spec.Restart restart, Backoff backoff) {
        Mode mode = switch (restart.policy()) {
            case ON_FAILURE -> Mode.ON_FAILURE;
            case ALWAYS -> Mode.ALWAYS;
            case NEVER -> Mode.NEVER;
        };
        return new RestartPolicy(mode, restart.maxRestarts(), backoff);
    }

    /** Whether a container that stopped with {@code exitCode} is one this policy starts again (limits aside). */
    public boolean restartsAfter(int exitCode) {
        return switch (mode) {
            case ALWAYS -> true;
            case ON_FAILURE -> exitCode != 0;
            case NEVER -> false;
        };
    }
}
