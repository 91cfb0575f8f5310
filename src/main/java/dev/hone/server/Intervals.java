package dev.hone.server;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Poll intervals as {@code hone-server.yaml} writes them: {@code 0}, {@code 90} (seconds), {@code 90s}, {@code 5m},
 * {@code 1h30m}.
 */
public final class Intervals {

    private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|h|d)");

    private Intervals() {}

    public static Optional<Duration> parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.matches("[0-9]+")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(t)));
        }
        Matcher m = PART.matcher(t);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
            end = m.end();
        }
        return end == t.length() && end > 0 ? Optional.of(total) : Optional.empty();
    }

    /** {@code 0}, {@code 90s}, {@code 5m}, {@code 1h30m}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0";
        }
        return (d.toHours() > 0 ? d.toHours() + "h" : "")
                + (d.toMinutesPart() > 0 ? d.toMinutesPart() + "m" : "")
                + (d.toSecondsPart() > 0 ? d.toSecondsPart() + "s" : "")
                + (d.toMillisPart() > 0 ? d.toMillisPart() + "ms" : "");
    }
}
