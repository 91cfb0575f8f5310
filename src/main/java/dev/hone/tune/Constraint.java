package dev.hone.tune;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bound another metric must keep for a trial to count ({@code metric.constraints}: {@code latency_ms <= 50}): a
 * trial that breaks one, or did not report its metric, never reaches the target nor is the best.
 */
public record Constraint(String metric, Op op, double bound) {

    /** How the metric compares with the bound. */
    public enum Op {
        AT_MOST("<="), BELOW("<"), AT_LEAST(">="), ABOVE(">");

        private final String sign;

        Op(String sign) {
            this.sign = sign;
        }

        public String sign() {
            return sign;
        }

        boolean holds(double value, double bound) {
            return switch (this) {
                case AT_MOST -> value <= bound;
                case BELOW -> value < bound;
                case AT_LEAST -> value >= bound;
                case ABOVE -> value > bound;
            };
        }
    }

    /** What a constraint must look like, for messages. */
    public static final String FORM = "\"NAME OP NUMBER\" with OP one of <=, <, >=, > (e.g. \"latency_ms <= 50\")";

    private static final Pattern TEXT = Pattern.compile(
            "\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*(<=|<|>=|>)\\s*([+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?)\\s*");

    /**
     * Reads {@code latency_ms <= 50}.
     *
     * @throws IllegalArgumentException saying what a constraint must look like, when {@code text} is not one
     */
    public static Constraint parse(String text) {
        Matcher m = TEXT.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("must be " + FORM + ", got \"" + text + "\"");
        }
        Op op = switch (m.group(2)) {
            case "<=" -> Op.AT_MOST;
            case "<" -> Op.BELOW;
            case ">=" -> Op.AT_LEAST;
            default -> Op.ABOVE;
        };
        return new Constraint(m.group(1), op, Double.parseDouble(m.group(3)));
    }

    /**
     * Why {@code metrics} break this constraint ("breaks latency_ms <= 50: latency_ms was 72"), or empty when they
     * keep it. Names match in any case; a metric not reported breaks it.
     */
    public Optional<String> breach(Map<String, Double> metrics) {
        Double value = null;
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            if (e.getKey().equalsIgnoreCase(metric)) {
                value = e.getValue();
            }
        }
        if (value == null || !Double.isFinite(value)) {
            return Optional.of("breaks " + this + ": the trial reported no " + metric);
        }
        return op.holds(value, bound) ? Optional.empty()
                : Optional.of("breaks " + this + ": " + metric + " was " + number(value));
    }

    /** The first of {@code constraints} that {@code metrics} break, said as {@link #breach} says it. */
    public static Optional<String> firstBreach(List<Constraint> constraints, Map<String, Double> metrics) {
        for (Constraint c : constraints) {
            Optional<String> why = c.breach(metrics);
            if (why.isPresent()) {
                return why;
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return metric + " " + op.sign() + " " + number(bound);
    }

    private static String number(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
