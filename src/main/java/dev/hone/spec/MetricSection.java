package dev.hone.spec;

import dev.hone.tune.Confirm;
import dev.hone.tune.Constraint;
import dev.hone.tune.Direction;
import dev.hone.tune.Objective;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads {@code metric}: a mapping (one metric), or a list of them (several objectives: the first carries the target,
 * the constraints and the regression tolerance; the study keeps the Pareto front).
 */
final class MetricSection {

    static final List<String> KEYS = List.of("name", "direction", "target", "constraints", "regression_tolerance",
            "confirm");
    static final String EXAMPLE = "metric: [{name: accuracy, direction: maximize, target: 0.95},"
            + " {name: latency_ms, direction: minimize}]";
    /** What Katib's objective and Ray Tune call the metric's keys. */
    private static final Map<String, String> OTHER_NAMES = Map.of("goal", "target", "threshold", "target",
            "type", "direction", "mode", "direction", "metric_name", "name", "objective_metric_name", "name",
            "objectivemetricname", "name");

    private MetricSection() {}

    static Spec.Metric read(YamlValue v, Spec.Metric defaults) {
        if (!v.isList()) {
            return one(v, defaults);
        }
        if (v.isEmptyList()) {
            v.problem("is an empty list — give at least one metric, e.g. " + EXAMPLE);
            return defaults;
        }
        List<YamlValue> items = v.items();
        if (items.isEmpty()) {
            return defaults;
        }
        Spec.Metric first = null;
        List<Objective> further = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            YamlValue item = items.get(i);
            YamlMapping m = item.mapping(KEYS, OTHER_NAMES);
            m.require("name", "each metric of a list names what the trial prints, e.g. name: latency_ms");
            Spec.Metric read = one(item, m, defaults);
            YamlValue name = m.get("name");
            if (!name.isMissing()) {
                String lower = read.name().toLowerCase(Locale.ROOT);
                int earlier = names.indexOf(lower);
                if (earlier >= 0) {
                    name.problem(read.name() + " is already the name of " + v.key() + "[" + earlier + "] (names"
                            + " match in any case) — list each metric once");
                }
                names.add(lower);
            }
            if (i == 0) {
                first = read;
                continue;
            }
            onlyFirst(m.get("target"), v, "a target (the run reaches the target when a trial's first metric does)");
            onlyFirst(m.get("constraints"), v, "constraints");
            onlyFirst(m.get("regression_tolerance"), v, "a regression_tolerance");
            onlyFirst(m.get("confirm"), v, "confirm (the target's confirmation)");
            further.add(new Objective(read.name(), read.direction()));
        }
        return new Spec.Metric(first.name(), first.direction(), first.target(), first.constraints(),
                first.regressionTolerance(), first.confirm(), further);
    }

    private static void onlyFirst(YamlValue value, YamlValue list, String what) {
        if (!value.isMissing()) {
            value.problem("only the first metric of the list has " + what + " — move it to " + list.key()
                    + "[0] or remove it");
        }
    }

    private static Spec.Metric one(YamlValue v, Spec.Metric defaults) {
        return one(v, v.mapping(KEYS, OTHER_NAMES), defaults);
    }

    private static Spec.Metric one(YamlValue v, YamlMapping m, Spec.Metric defaults) {
        return new Spec.Metric(
                m.get("name").string().orElse(defaults.name()),
                m.get("direction").oneOf(Direction.class).orElse(defaults.direction()),
                m.get("target").number().orElse(null),
                constraints(m.get("constraints")),
                SpecReader.nonNegative(m.get("regression_tolerance"), "how much worse than the base branch's"
                        + " previous best a run may be, e.g. regression_tolerance: 0.005"),
                confirm(m.get("confirm")));
    }

    /** {@code metric.confirm}: null when absent; {@code confirm: {}} is the mean of 3. */
    private static Confirm confirm(YamlValue v) {
        if (v.isMissing()) {
            return null;
        }
        YamlMapping m = v.mapping(List.of("repeats", "aggregate"));
        YamlValue repeats = m.get("repeats");
        int n = repeats.intIn(2, SpecReader.MAX_CONFIRM_REPEATS, "an integer from 2 to "
                + SpecReader.MAX_CONFIRM_REPEATS
                + " (how many runs the aggregate takes, the trial's own included; remove confirm for none)")
                .orElse(3);
        return new Confirm(n, m.get("aggregate").oneOf(Confirm.Aggregate.class).orElse(Confirm.Aggregate.MEAN));
    }

    /** {@code metric.constraints}: a list of "NAME OP NUMBER"; each entry that is not one is a problem of its own. */
    private static List<Constraint> constraints(YamlValue v) {
        List<Constraint> constraints = new ArrayList<>();
        for (YamlValue item : v.items()) {
            item.string().ifPresent(text -> {
                try {
                    constraints.add(Constraint.parse(text));
                } catch (IllegalArgumentException e) {
                    item.problem(e.getMessage());
                }
            });
        }
        return constraints;
    }
}
