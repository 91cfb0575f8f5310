package dev.hone.restart;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;

/**
 * Applies a {@link RestartPolicy} to one container, start after start: told when it {@linkplain #started started}
 * and when it {@linkplain #stopped stopped}, it says whether to start it again and after how long. Time comes from
 * the injected clock, so a test can play a whole crash loop without waiting. Thread-safe.
 */
public final class Supervisor {

    /** What to do about a container that stopped. */
    public sealed interface Decision {}

    /**
     * Start it again after {@code delay}. {@code inARow}: restarts since it last ran healthy, this one included;
     * {@code total}: every restart of this supervisor, this one included.
     */
    public record Restart(int inARow, int total, Duration delay) implements Decision {}

    /** Stop supervising: {@code maxRestarts} restarts in a row did not help. */
    public record GiveUp(int inARow, int total, String reason) implements Decision {}

    /** The policy does not restart it (never, or on-failure after a clean exit). */
    public record LeaveStopped(String reason) implements Decision {}

    private final RestartPolicy policy;
    private final InstantSource clock;
    private Instant startedAt;
    private int inARow;
    private int total;

    public Supervisor(RestartPolicy policy, InstantSource clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public RestartPolicy policy() {
        return policy;
    }

    /** The container (first started, or started again) runs now. */
    public synchronized void started() {
        startedAt = clock.instant();
    }

    /**
     * The container stopped on its own with {@code exitCode} ({@code -1}: unknown). A container that ran for the
     * policy's {@code resetAfter} was healthy: the restarts in a row start again from 0.
     */
    public synchronized Decision stopped(int exitCode) {
        if (startedAt != null && !clock.instant().isBefore(startedAt.plus(policy.resetAfter()))) {
            inARow = 0;
        }
        startedAt = null;
        if (!policy.restartsAfter(exitCode)) {
            return new LeaveStopped(policy.mode() == RestartPolicy.Mode.NEVER ? "restart policy never"
                    : "exited with code 0 and the restart policy is " + policy.mode().word());
        }
        if (inARow >= policy.maxRestarts()) {
            return new GiveUp(inARow, total, inARow == 0 ? "max_restarts is 0"
                    : "it stopped again after " + inARow + " restart" + (inARow == 1 ? "" : "s") + " in a row"
                    + " (max_restarts: " + policy.maxRestarts() + ")");
        }
        inARow++;
        total++;
        return new Restart(inARow, total, policy.delay(inARow));
    }

    /** Restarts since it last ran healthy. */
    public synchronized int inARow() {
        return inARow;
    }

    /** Every restart so far. */
    public synchronized int total() {
        return total;
    }
}
