package dev.hone.time;

import java.time.Duration;
import java.util.Locale;

/**
 * How Hone writes a duration, everywhere: a configured one exactly as {@code hone.yaml} would say it
 * ({@link #format}), a measured one to a tenth of a second ({@link #elapsed}).
 */
public final class Durations {

    private Durations() {}

    /**
     * A duration as a person writes it, exact to the millisecond, and as {@code hone.yaml} reads it back: 500ms,
     * 1.5s, 30s, 2m, 1m30s, 1h30m. Timeouts, intervals and waits Hone was told or chose.
     */
    public static String format(Duration duration) {
        long millis = Math.max(0, duration.toMillis());
        if (millis < 1000) {
            return millis + "ms";
        }
        long hours = millis / 3_600_000;
        long minutes = millis / 60_000 % 60;
        long seconds = millis / 1000 % 60;
        long rest = millis % 1000;
        StringBuilder text = new StringBuilder();
        if (hours > 0) {
            text.append(hours).append('h');
        }
        if (minutes > 0) {
            text.append(minutes).append('m');
        }
        if (seconds > 0 || rest > 0) {
            text.append(seconds);
            if (rest > 0) {
                text.append('.').append(String.format(Locale.ROOT, "%03d", rest).replaceAll("0+$", ""));
            }
            text.append('s');
        }
        return text.toString();
    }

    /**
     * A measured time (a trial's, a run's, a restart's downtime) to a tenth of a second under a minute, then in
     * minutes and seconds: 0.4s, 12.3s, 1m35s, 75m0s. Tenths and seconds are cut, not rounded, so 59.96 s is 59.9s.
     */
    public static String elapsed(Duration duration) {
        long millis = Math.max(0, duration.toMillis());
        long seconds = millis / 1000;
        return seconds < 60 ? (millis / 100) / 10.0 + "s" : seconds / 60 + "m" + seconds % 60 + "s";
    }
}
