package dev.hone.spec;

import dev.hone.tune.CategoricalParam;
import dev.hone.tune.Conditions;
import dev.hone.tune.FloatParam;
import dev.hone.tune.IntParam;
import dev.hone.tune.Param;
import dev.hone.tune.When;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads {@code tune.params}: a mapping {@code {min, max, log, type}} is a numeric range, a list (or a mapping
 * {@code {choices: [...]}}) is a categorical parameter; either mapping may carry {@code when: {parent: value}} or
 * {@code when: {parent: [values]}}, a condition on categorical parents. Parameters keep the order of the file.
 */
final class ParamReader {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
    private static final String RANGE_EXAMPLE = "{min: 0.001, max: 1000}";
    /** What Optuna, hyperopt, Ray Tune and others call a range's ends. */
    private static final Map<String, String> RANGE_OTHER_NAMES = Map.of("low", "min", "high", "max", "lower", "min",
            "upper", "max", "minimum", "min", "maximum", "max");

    private ParamReader() {}

    static List<Param> read(YamlMapping declared, String command) {
        List<Param> params = new ArrayList<>();
        Map<String, String> byVariable = new HashMap<>();
        Map<String, Map<String, YamlValue>> conditions = new HashMap<>();
        for (YamlValue v : declared.entries()) {
            checkName(v, byVariable);
            param(v, conditions).ifPresent(params::add);
        }
        for (Param p : params) {
            if (!p.when().always() && command != null && command.contains("{" + p.name() + "}")) {
                conditions.get(p.name()).values().iterator().next().problemAtKey("train.command uses {" + p.name()
                        + "}, but a conditional parameter is absent from the trials where it is inactive — use {args}"
                        + " (which leaves it out) or read $HONE_PARAMS");
            }
        }
        if (params.size() == declared.entries().size()) {
            for (Conditions.Flaw f : Conditions.flaws(params)) {
                conditions.get(f.param()).get(f.parent()).problem(f.message());
            }
        }
        return List.copyOf(params);
    }

    /** Names reach the training program as HONE_PARAM_NAME and as {name} in the command: they must stay distinct. */
    private static void checkName(YamlValue v, Map<String, String> byVariable) {
        String name = v.name();
        if (!NAME.matcher(name).matches()) {
            v.problemAtKey("is not a usable parameter name — start with a letter or _, then use letters, digits, "
                    + "_ or -");
            return;
        }
        if (name.equals("args")) {
            v.problemAtKey("is reserved: {args} in train.command stands for all parameters as --name=value — "
                    + "rename the parameter");
        }
        String variable = "HONE_PARAM_" + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
        String other = byVariable.putIfAbsent(variable, name);
        if (other != null) {
            v.problemAtKey("clashes with parameter \"" + other + "\": both reach the program as " + variable
                    + " — rename one");
        }
    }

    private static Optional<Param> param(YamlValue v, Map<String, Map<String, YamlValue>> conditions) {
        if (v.isList()) {
            return categorical(v, v, When.ALWAYS);
        }
        if (!v.isMapping()) {
            v.problem("must be a range such as " + RANGE_EXAMPLE + " or a list of choices, got " + v.got());
            return Optional.empty();
        }
        YamlMapping m = v.mapping(List.of("min", "max", "log", "type", "choices", "when"), RANGE_OTHER_NAMES);
        YamlValue w = m.get("when");
        Map<String, YamlValue> parentValues = new HashMap<>();
        conditions.put(v.name(), parentValues);
        Optional<When> when = w.isMissing() ? Optional.of(When.ALWAYS) : when(w, parentValues);
        YamlValue choices = m.get("choices");
        if (choices.isMissing()) {
            return when.flatMap(c -> range(v, m, c));
        }
        for (String key : List.of("min", "max", "log", "type")) {
            if (!m.get(key).isMissing()) {
                m.get(key).problemAtKey("does not go with choices — a parameter is either a range or a list of"
                        + " choices");
                return Optional.empty();
            }
        }
        if (!choices.isList()) {
            choices.problem("must be a list of choices, got " + choices.got());
            return Optional.empty();
        }
        return when.flatMap(c -> categorical(v, choices, c));
    }

    /** {@code when: {optimizer: sgd}} or {@code {optimizer: [sgd, nesterov]}}. */
    private static Optional<When> when(YamlValue w, Map<String, YamlValue> parentValues) {
        if (!w.isMapping()) {
            w.problem("must be a mapping of parent parameter to value(s), e.g. {optimizer: sgd}, got " + w.got());
            return Optional.empty();
        }
        Map<String, List<Object>> parents = new LinkedHashMap<>();
        boolean valid = true;
        for (YamlValue parent : w.mappingOf("parent parameters").entries()) {
            List<Object> values = new ArrayList<>();
            for (YamlValue item : parent.isList() ? parent.items() : List.of(parent)) {
                Optional<Object> value = item.choice();
                value.ifPresent(values::add);
                valid &= value.isPresent();
            }
            if (parent.isEmptyList()) {
                parent.problem("must list at least one value of " + parent.name());
                valid = false;
            }
            parents.put(parent.name(), values);
            parentValues.put(parent.name(), parent);
        }
        if (valid && parents.isEmpty()) {
            w.problem("must name at least one parent parameter, e.g. {optimizer: sgd} — or drop when:");
            valid = false;
        }
        return valid ? Optional.of(new When(parents)) : Optional.empty();
    }

    private static Optional<Param> categorical(YamlValue v, YamlValue list, When when) {
        if (list.isEmptyList()) {
            list.problem("must list at least one choice");
            return Optional.empty();
        }
        List<Object> choices = new ArrayList<>();
        boolean valid = true;
        for (YamlValue item : list.items()) {
            Optional<Object> choice = item.choice();
            if (choice.isEmpty()) {
                valid = false;
            } else if (choices.contains(choice.get())) {
                item.problem("duplicate choice " + item.got() + " — list each choice once");
                valid = false;
            } else {
                choices.add(choice.get());
            }
        }
        return valid ? Optional.of(new CategoricalParam(v.name(), List.copyOf(choices), when)) : Optional.empty();
    }

    private static Optional<Param> range(YamlValue v, YamlMapping m, When when) {
        m.require("min", "a range needs min and max, e.g. " + RANGE_EXAMPLE);
        m.require("max", "a range needs min and max, e.g. " + RANGE_EXAMPLE);
        boolean isInt = m.get("type").oneOf(List.of("float", "int")).map("int"::equals).orElse(false);
        boolean log = m.get("log").bool().orElse(false);
        YamlValue minValue = m.get("min");
        YamlValue maxValue = m.get("max");
        Optional<Double> min = bound(minValue, isInt);
        Optional<Double> max = bound(maxValue, isInt);
        if (min.isEmpty() || max.isEmpty()) {
            return Optional.empty();
        }
        if (min.get() >= max.get()) {
            minValue.problem("must be less than max (" + maxValue.got() + "), got " + minValue.got());
            return Optional.empty();
        }
        if (log && min.get() <= 0) {
            minValue.problem("must be greater than 0 with log: true, got " + minValue.got());
            return Optional.empty();
        }
        return Optional.of(isInt
                ? new IntParam(v.name(), min.get().longValue(), max.get().longValue(), log, when)
                : new FloatParam(v.name(), min.get(), max.get(), log, when));
    }

    private static Optional<Double> bound(YamlValue v, boolean isInt) {
        Optional<Double> bound = v.number();
        if (isInt && bound.isPresent() && bound.get() != Math.rint(bound.get())) {
            v.problem("must be a whole number with type: int, got " + v.got());
            return Optional.empty();
        }
        return bound;
    }
}
