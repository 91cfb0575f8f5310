package dev.hone.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for something a real process, container or thread does, checked every 10 ms for at most a minute. */
public final class Await {

    private Await() {}

    /** Returns once {@code condition} holds; fails naming {@code what} after 60 s. */
    public static void until(BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("waited 60s for " + what);
            }
            Thread.sleep(10);
        }
    }
}
