package dev.hone.tune;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How a parameter's value is written, everywhere Hone shows one: {@link #exact} where a person copies it from (events,
 * notifications, the final line of {@code hone run}), the shortest text that reads back as the same number
 * ({@code 3.2360388292088815e-4}); {@link #brief} in tables, to 4–6 significant digits ({@code 3.236e-4}), as many
 * as {@link #digitsToTellApart} needs. A set of parameters is {@code name=value, name=value}, never Java's
 * {@code Map.toString}. JSON carries the numbers themselves.
 */
public final class ParamText {

    /** What a set of no parameters reads as. */
    public static final String NONE = "none";

    private static final int MIN_DIGITS = 4;
    private static final int MAX_DIGITS = 6;

    private ParamText() {}

    /** {@code 0.41714626873848937}, {@code 3.2360388292088815e-4}, {@code 1e-5}, {@code 37}, {@code rbf}. */
    public static String exact(Object value) {
        if (value instanceof Double d && Double.isFinite(d)) {
            return Double.toString(d).replace(".0E", "E").replace('E', 'e');
        }
        return String.valueOf(value);
    }

    /** {@code C=0.41714626873848937, gamma=3.2360388292088815e-4}; {@link #NONE} for none. */
    public static String exact(Map<String, Object> params) {
        return join(params, MAX_DIGITS, true);
    }

    /** {@code 3.236e-4}, {@code 0.0257}, {@code 0.126}, {@code 1000} to {@code digits} significant digits. */
    public static String brief(Object value, int digits) {
        if (!(value instanceof Double d) || !Double.isFinite(d)) {
            return exact(value);
        }
        if (d == 0) {
            return "0";
        }
        BigDecimal rounded = new BigDecimal(d).round(new MathContext(digits)).stripTrailingZeros();
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent >= -3 && exponent < 6) {
            return rounded.toPlainString();
        }
        return rounded.movePointLeft(exponent).toPlainString() + "e" + exponent;
    }

    /** {@code C=0.4171 gamma=3.236e-4} with {@code digits} significant digits; {@link #NONE} for none. */
    public static String brief(Map<String, Object> params, int digits) {
        return join(params, digits, false);
    }

    /**
     * The fewest significant digits, from 4 to 6, at which no two different values of a parameter in {@code sets}
     * read the same (6 when even that is not enough).
     */
    public static int digitsToTellApart(Collection<Map<String, Object>> sets) {
        for (int digits = MIN_DIGITS; digits < MAX_DIGITS; digits++) {
            if (tellsApart(sets, digits)) {
                return digits;
            }
        }
        return MAX_DIGITS;
    }

    private static boolean tellsApart(Collection<Map<String, Object>> sets, int digits) {
        Map<String, Map<String, Object>> shown = new HashMap<>();
        for (Map<String, Object> params : sets) {
            if (params == null) {
                continue;
            }
            for (Map.Entry<String, Object> p : params.entrySet()) {
                Object earlier = shown.computeIfAbsent(p.getKey(), k -> new HashMap<>())
                        .putIfAbsent(brief(p.getValue(), digits), p.getValue());
                if (earlier != null && !earlier.equals(p.getValue())) {
                    return false;
                }
            }
        }
        return true;
    }

    private static String join(Map<String, Object> params, int digits, boolean exact) {
        if (params == null || params.isEmpty()) {
            return NONE;
        }
        return params.entrySet().stream()
                .map(p -> p.getKey() + "=" + (exact ? exact(p.getValue()) : brief(p.getValue(), digits)))
                .collect(Collectors.joining(exact ? ", " : " "));
    }
}
