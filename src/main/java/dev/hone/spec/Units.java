package dev.hone.spec;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations ({@code 90s}, {@code 1h30m}) and sizes ({@code 512m}, {@code 256Mi}) as people write them, read from
 * configuration and flags; {@link dev.hone.time.Durations#format} writes a duration back the same way.
 */
public final class Units {

    static final String DURATION_EXAMPLES = "90s, 30m, 2h, 1h30m, 1d or 500ms";
    static final String SIZE_EXAMPLES = "512m, 2g, 1.5G or 256Mi";

    private static final Pattern NUMBER = Pattern.compile("[0-9]+(?:\\.[0-9]+)?");
    private static final Pattern DURATION_PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|d|h|m|s)");
    private static final Pattern SIZE =
            Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(?:([kmgt])i?b?|b)?", Pattern.CASE_INSENSITIVE);
    private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);

    private Units() {}

    /** A bare number is seconds; otherwise one or more number-unit pairs, units ms, s, m, h, d (lower case). */
    public static Optional<Duration> duration(String text) {
        String t = text.strip();
        if (NUMBER.matcher(t).matches()) {
            return nanos(new BigDecimal(t).multiply(NANOS_PER_SECOND));
        }
        Matcher m = DURATION_PART.matcher(t);
        BigDecimal total = BigDecimal.ZERO;
        int at = 0;
        while (m.find() && m.start() == at) {
            total = total.add(new BigDecimal(m.group(1)).multiply(unitNanos(m.group(2))));
            at = m.end();
        }
        return at > 0 && at == t.length() ? nanos(total) : Optional.empty();
    }

    /** A bare number is bytes; k, m, g, t are powers of 1024, optionally followed by i, b or ib, any case. */
    static Optional<Long> size(String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        int power = m.group(2) == null ? 0 : "kmgt".indexOf(m.group(2).toLowerCase(Locale.ROOT)) + 1;
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1024).pow(power));
        try {
            return Optional.of(bytes.setScale(0, RoundingMode.DOWN).longValueExact());
        } catch (ArithmeticException tooLarge) {
            return Optional.empty();
        }
    }

    /** How a size reads back to a person: {@code 4194304} is {@code 4m}. */
    public static String formatSize(long bytes) {
        String[] units = {"", "k", "m", "g", "t"};
        int power = 0;
        long value = bytes;
        while (power < units.length - 1 && value != 0 && value % 1024 == 0) {
            value /= 1024;
            power++;
        }
        return value + units[power];
    }

    private static BigDecimal unitNanos(String unit) {
        long nanos = switch (unit) {
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> 86_400_000_000_000L;
        };
        return BigDecimal.valueOf(nanos);
    }

    private static Optional<Duration> nanos(BigDecimal nanos) {
        BigDecimal[] parts = nanos.setScale(0, RoundingMode.DOWN).divideAndRemainder(NANOS_PER_SECOND);
        try {
            return Optional.of(Duration.ofSeconds(parts[0].longValueExact(), parts[1].longValueExact()));
        } catch (ArithmeticException tooLong) {
            return Optional.empty();
        }
    }
}
