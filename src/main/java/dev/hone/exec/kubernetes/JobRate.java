package dev.hone.exec.kubernetes;

import dev.hone.time.Sleeper;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * A client-side bound on how fast Hone creates Jobs: at most {@code perSecond}, evenly spaced, across every run of
 * the process. {@code parallel: 100} then asks the API server for Jobs at a steady rate instead of in one burst that
 * its priority and fairness throttles and the Job controller turns into a pod-creation stall (kubeflow/katib#1328).
 */
final class JobRate {

    /** The rate unless {@code HONE_KUBERNETES_JOBS_PER_SECOND} says otherwise. */
    static final double DEFAULT_PER_SECOND = 10;

    private final Duration interval;
    private final InstantSource clock;
    private final Sleeper sleeper;
    private Instant next = Instant.MIN;

    JobRate(double perSecond, InstantSource clock, Sleeper sleeper) {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("Jobs per second must be a number greater than 0, got " + perSecond);
        }
        this.interval = Duration.ofNanos(Math.round(1e9 / perSecond));
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Waits for the next Job's turn. */
    void acquire() throws InterruptedException {
        Duration wait;
        synchronized (this) {
            Instant now = clock.instant();
            Instant turn = next.isAfter(now) ? next : now;
            next = turn.plus(interval);
            wait = Duration.between(now, turn);
        }
        sleeper.sleep(wait);
    }
}
