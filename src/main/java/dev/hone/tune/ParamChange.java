package dev.hone.tune;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One parameter of a search space changed for a re-run, written as hone.yaml writes a parameter: a value it is fixed
 * to ({@link Fixed}), a new range of a number ({@link Range}), new choices of a categorical ({@link Choices}).
 * {@link #applyTo} checks it against the parameter as declared and says what is wrong, where and what to give instead;
 * the changed parameter keeps the declared one's {@code when:}.
 */
public sealed interface ParamChange {

    String name();

    /**
     * The parameter the search uses instead of {@code declared} (of the same name).
     *
     * @throws SearchSpaceException when the change does not fit the declared parameter
     */
    Param applyTo(Param declared);

    /** How a change reads to a person: {@code lr = 0.01}, {@code depth from 2 to 8}, {@code kernel in [rbf, poly]}. */
    String text();

    /** Fixed to {@code value}: a String, a Long (a whole number), a Double or a Boolean. */
    record Fixed(String name, Object value) implements ParamChange {

        @Override
        public Param applyTo(Param declared) {
            return switch (declared) {
                case FloatParam f -> {
                    if (!(value instanceof Number n)) {
                        throw wrong(f, "give a number, got " + quoted(value));
                    }
                    double v = n.doubleValue();
                    if (v < f.min() || v > f.max()) {
                        throw outside(f, n, number(f.min()), number(f.max()));
                    }
                    yield new CategoricalParam(name, List.of(v), f.when());
                }
                case IntParam i -> {
                    if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
                        throw wrong(i, "give a whole number, got " + quoted(value));
                    }
                    long v = n.longValue();
                    if (v < i.min() || v > i.max()) {
                        throw outside(i, n, String.valueOf(i.min()), String.valueOf(i.max()));
                    }
                    yield new CategoricalParam(name, List.of(v), i.when());
                }
                case CategoricalParam c -> new CategoricalParam(name, List.<Object>of(c.choices().stream()
                        .filter(choice -> same(choice, value)).findFirst().orElseThrow(() -> new SearchSpaceException(
                                key(c) + " = " + quoted(value) + " is not one of its choices " + list(c.choices())
                                        + ": give one of them, or new choices: {\"" + name + "\": "
                                        + json(withNew(c.choices(), value)) + "}"))), c.when());
            };
        }

        @Override
        public String text() {
            return name + " = " + ParamText.exact(value);
        }

        private SearchSpaceException outside(Param p, Number given, String min, String max) {
            String low = given.doubleValue() < Double.parseDouble(min) ? ParamText.exact(given) : min;
            String high = given.doubleValue() > Double.parseDouble(max) ? ParamText.exact(given) : max;
            return new SearchSpaceException(key(p) + " = " + ParamText.exact(given) + " is outside its range, "
                    + min + " to " + max + ": give a value in it, or a new range: {\"" + name + "\": {\"min\": "
                    + low + ", \"max\": " + high + "}}");
        }
    }

    /** A number searched from {@code min} to {@code max} (its scale, log or not, kept). */
    record Range(String name, double min, double max) implements ParamChange {

        @Override
        public Param applyTo(Param declared) {
            if (declared instanceof CategoricalParam c) {
                throw wrong(c, "give one of its choices, or a list of new choices, not a range");
            }
            if (!(min < max)) {
                throw new SearchSpaceException(key(declared) + ": a range needs min less than max, got min "
                        + number(min) + " and max " + number(max));
            }
            boolean log = declared instanceof FloatParam f ? f.log() : ((IntParam) declared).log();
            if (log && min <= 0) {
                throw new SearchSpaceException(key(declared) + " is searched on a log scale: min must be greater "
                        + "than 0, got " + number(min));
            }
            if (declared instanceof IntParam i) {
                if (min != Math.rint(min) || max != Math.rint(max)) {
                    throw wrong(i, "give whole numbers for min and max, got " + number(min) + " and "
                            + number(max));
                }
                return new IntParam(name, (long) min, (long) max, log, i.when());
            }
            return new FloatParam(name, min, max, log, declared.when());
        }

        @Override
        public String text() {
            return name + " from " + number(min) + " to " + number(max);
        }
    }

    /** A categorical searched over {@code choices}. */
    record Choices(String name, List<Object> choices) implements ParamChange {

        public Choices {
            choices = List.copyOf(choices);
        }

        @Override
        public Param applyTo(Param declared) {
            if (!(declared instanceof CategoricalParam c)) {
                throw wrong(declared, "give a number or a new range {\"min\": …, \"max\": …}, not a list");
            }
            if (choices.isEmpty()) {
                throw new SearchSpaceException(key(c) + ": give at least one choice");
            }
            if (choices.stream().distinct().count() < choices.size()) {
                throw new SearchSpaceException(key(c) + ": list each choice once, got " + list(choices));
            }
            return new CategoricalParam(name, choices, c.when());
        }

        @Override
        public String text() {
            return name + " in " + list(choices);
        }
    }

    private static SearchSpaceException wrong(Param p, String what) {
        return new SearchSpaceException(key(p) + " is " + kind(p) + ": " + what);
    }

    private static String key(Param p) {
        return "tune.params." + p.name();
    }

    private static String kind(Param p) {
        return switch (p) {
            case FloatParam f -> "a number from " + number(f.min()) + " to " + number(f.max());
            case IntParam i -> "a whole number from " + i.min() + " to " + i.max();
            case CategoricalParam c -> "one of " + list(c.choices());
        };
    }

    private static boolean same(Object choice, Object value) {
        if (choice instanceof Number a && value instanceof Number b) {
            return a.doubleValue() == b.doubleValue();
        }
        return choice.equals(value);
    }

    /** {@code 2}, not {@code 2.0}; {@code 0.001}, {@code 1e-5}. */
    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : ParamText.exact(v);
    }

    private static String quoted(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : value == null ? "null" : ParamText.exact(value);
    }

    private static String list(List<Object> values) {
        return values.stream().map(ParamText::exact).collect(Collectors.joining(", ", "[", "]"));
    }

    private static List<Object> withNew(List<Object> choices, Object value) {
        List<Object> all = new ArrayList<>(choices);
        all.add(value);
        return all;
    }

    private static String json(List<Object> values) {
        return values.stream().map(ParamChange::quoted).collect(Collectors.joining(", ", "[", "]"));
    }
}
