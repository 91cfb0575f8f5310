package dev.hone.time;

import java.time.Duration;

/** Waits out a back-off. Injected, so a test can record the waits instead of waiting them. */
@FunctionalInterface
public interface Sleeper {

    /** @throws InterruptedException when the wait is cut short: the supervisor is closing */
    void sleep(Duration duration) throws InterruptedException;

    /** {@link Thread#sleep(Duration)}. */
    static Sleeper system() {
        return d -> {
            if (d.isPositive()) {
                Thread.sleep(d);
            }
        };
    }
}
