package dev.hone.restart;

import dev.hone.time.Backoff;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * When a supervised container that stopped is started again, how many times, and how long Hone waits first:
 * Docker's {@code on-failure | always | no} with an exponential back-off whose cap is a setting (Docker doubles from
 * 100 ms to a fixed minute; Kubernetes from 10 s to a fixed five minutes). The first restart of a run of restarts
 * comes at once (as "immediately launch a new one" asks), restart k (k ≥ 2) after {@code backoff.delay(k − 1)}. A
 * container that ran for {@code resetAfter} before it stopped counts as healthy: its restarts in a row start again
 * from 0.
 *
 * @param maxRestarts restarts in a row (without a healthy period between them) before Hone gives up; 0: none
 */
public record RestartPolicy(Mode mode, int maxRestarts, Backoff backoff, Duration resetAfter) {

    /** 100 ms, 200 ms, 400 ms, … up to 30 s. */
    public static final Backoff BACKOFF = Backoff.doubling(Duration.ofMillis(100), Duration.ofSeconds(30));
    /** Ten seconds of running make a container healthy again. */
    public static final Duration RESET_AFTER = Duration.ofSeconds(10);
    /** The workspace container of a run: restarted after any unexpected stop, 3 times in a row at most. */
    public static final RestartPolicy WORKSPACE = new RestartPolicy(Mode.ON_FAILURE, 3, BACKOFF, RESET_AFTER);

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

    public RestartPolicy {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(resetAfter, "resetAfter");
        if (maxRestarts < 0) {
            throw new IllegalArgumentException("max_restarts must not be negative, got " + maxRestarts);
        }
        if (resetAfter.isNegative()) {
            throw new IllegalArgumentException("the healthy period must not be negative, got " + resetAfter);
        }
    }

    /** The same policy with another healthy period (0: every stop counts as a first one). */
    public RestartPolicy withResetAfter(Duration healthy) {
        return new RestartPolicy(mode, maxRestarts, backoff, healthy);
    }

    /** How long to wait before restart number {@code restart} (1, 2, …) of a run of restarts. */
    public Duration delay(int restart) {
        if (restart < 1) {
            throw new IllegalArgumentException("restarts are numbered from 1, got " + restart);
        }
        return restart == 1 ? Duration.ZERO : backoff.delay(restart - 1);
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
