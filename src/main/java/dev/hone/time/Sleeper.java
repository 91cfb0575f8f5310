package dev.hone.time;

import java.time.Duration;

/**
 * Waits out a back-off. Injected, so a test records the waits (or advances a fake clock) instead of waiting them.
 */
@FunctionalInterface
public interface Sleeper {

    /** @throws InterruptedException when the wait is cut short: whoever waits is closing */
    void sleep(Duration duration) throws InterruptedException;

    /** {@link Thread#sleep(Duration)}; a wait of zero or less returns at once. */
    static Sleeper system() {
        return d -> {
            if (d.isPositive()) {
                Thread.sleep(d);
            }
        };
    }
}
