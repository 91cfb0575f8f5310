package dev.hone.metrics;

import java.util.Locale;

/** Metric values as programs print them: 0.93, .5, 1e-3, -2, 93% (a hundredth: 0.93), nan, inf, -Infinity. */
final class MetricValues {

    /** The regular expression of a value, for use inside a larger pattern (case-insensitive). */
    static final String REGEX = "[+-]?(?:(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:e[+-]?\\d+)?%?|nan|inf(?:inity)?)";

    private MetricValues() {}

    /** @throws NumberFormatException when {@code text} is not a value */
    static double parse(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        boolean negative = value.startsWith("-");
        String unsigned = value.startsWith("-") || value.startsWith("+") ? value.substring(1) : value;
        switch (unsigned) {
            case "nan":
                return Double.NaN;
            case "inf", "infinity":
                return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            default:
                break;
        }
        if (value.endsWith("%")) {
            return parseNumber(value.substring(0, value.length() - 1)) / 100;
        }
        return parseNumber(value);
    }

    /** How a non-finite value is named in messages: NaN, inf, -inf. */
    static String describe(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        return value > 0 ? "inf" : "-inf";
    }

    private static double parseNumber(String text) {
        if (text.isEmpty() || !text.matches(REGEX) || text.endsWith("%")) {
            throw new NumberFormatException("not a number: " + text);
        }
        return Double.parseDouble(text);
    }
}
