package dev.hone.server;

import dev.hone.spec.Units;
import dev.hone.time.Durations;
import java.time.Duration;
import java.util.Optional;

/**
 * Poll intervals and grace periods as {@code hone-server.yaml} writes them ({@code 0}, {@code 90} seconds,
 * {@code 90s}, {@code 5m}, {@code 1h30m}); a poll of {@code 0} means webhooks only.
 */
public final class Intervals {

    private Intervals() {}

    public static Optional<Duration> parse(String text) {
        return text == null ? Optional.empty() : Units.duration(text);
    }

    /** {@code 0}, {@code 90s}, {@code 5m}, {@code 1h30m}. */
    public static String format(Duration d) {
        return d.isZero() ? "0" : Durations.format(d);
    }
}
