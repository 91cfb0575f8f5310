package dev.hone.spec;

import dev.hone.tune.EarlyStopping;
import dev.hone.tune.Param;
import dev.hone.tune.Strategy;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads {@code tune} and checks that its settings agree with each other. */
final class TuneReader {

    static final List<String> KEYS = List.of("strategy", "params", "max_trials", "max_failed_trials", "parallel",
            "timeout", "seed", "rebuild", "early_stopping", "give_up_below", "warm_start");
    /** What Optuna, Katib and others call some of them (camelCase written lower-case). */
    private static final Map<String, String> OTHER_NAMES = Map.ofEntries(Map.entry("n_trials", "max_trials"),
            Map.entry("num_trials", "max_trials"), Map.entry("max_trial_count", "max_trials"),
            Map.entry("maxtrialcount", "max_trials"), Map.entry("max_failed_trial_count", "max_failed_trials"),
            Map.entry("maxfailedtrialcount", "max_failed_trials"), Map.entry("sampler", "strategy"),
            Map.entry("algorithm", "strategy"), Map.entry("parallel_trial_count", "parallel"),
            Map.entry("paralleltrialcount", "parallel"), Map.entry("n_jobs", "parallel"),
            Map.entry("pruner", "early_stopping"), Map.entry("parameters", "params"),
            Map.entry("search_space", "params"));

    /** The strategies that search a declared space, as opposed to auto and the team's own script. */
    private static final Set<Strategy> SEARCHES =
            EnumSet.of(Strategy.GRID, Strategy.RANDOM, Strategy.TPE, Strategy.BAYES);

    private TuneReader() {}

    /** {@code command}: train.command, or null; a conditional parameter must not stand in it as {name}. */
    static Spec.Tune read(YamlValue v, Spec.Tune defaults, String command) {
        YamlMapping m = v.mapping(KEYS, OTHER_NAMES);
        YamlValue strategyValue = m.get("strategy");
        Strategy strategy = strategyValue.oneOf(Strategy.class).orElse(defaults.strategy());
        YamlValue paramsValue = m.get("params");
        YamlMapping declared = paramsValue.mappingOf("parameter names to ranges {min, max} or lists of choices");
        List<Param> params = ParamReader.read(declared, command);
        YamlValue parallelValue = m.get("parallel");
        int parallel = parallelValue.positiveInt().orElse(defaults.parallel());
        YamlValue rebuildValue = m.get("rebuild");
        String rebuild = rebuildValue.string().orElse(null);
        String strategyName = strategy.name().toLowerCase(Locale.ROOT);

        if (strategy == Strategy.SCRIPT) {
            if (rebuildValue.isMissing()) {
                strategyValue.problem("strategy script needs tune.rebuild, the program that proposes the next "
                        + "trial — e.g. rebuild: python3 rebuild.py");
            }
            if (parallel > 1) {
                parallelValue.problem("must be 1 with strategy: script, got " + parallel
                        + " — the rebuild program runs between trials; set parallel: 1");
            }
        } else if (rebuild != null && strategy != Strategy.AUTO) {
            rebuildValue.problem("is only used by strategy: script, but strategy is " + strategyName
                    + " — remove rebuild or set strategy: script");
        }
        boolean noneDeclared = declared.entries().isEmpty() && (paramsValue.isMissing() || paramsValue.isMapping());
        if (SEARCHES.contains(strategy) && noneDeclared) {
            strategyValue.problem("strategy " + strategyName + " needs parameters to search — declare "
                    + "tune.params or use strategy: script");
        }
        return new Spec.Tune(strategy, params,
                m.get("max_trials").positiveInt().orElse(defaults.maxTrials()),
                m.get("max_failed_trials").positiveInt().orElse(defaults.maxFailedTrials()),
                parallel,
                SpecReader.positiveDuration(m.get("timeout")),
                m.get("seed").integer().orElse(null),
                rebuild,
                earlyStopping(m.get("early_stopping")),
                giveUpBelow(m.get("give_up_below")),
                m.get("warm_start").bool().orElse(defaults.warmStart()));
    }

    /** Null (off) when absent; else a chance strictly between 0 and 1. */
    private static Double giveUpBelow(YamlValue v) {
        Double chance = v.number().orElse(null);
        if (chance != null && !(chance > 0 && chance < 1)) {
            v.problem("must be a chance between 0 and 1 (the run stops, the target missed, once its chance of"
                    + " reaching the target within the remaining trials falls below it), e.g. give_up_below: 0.05,"
                    + " got " + v.got());
            return null;
        }
        return chance;
    }

    /** Null (off) when absent; {@code early_stopping: {}} is the median rule after 3 steps. */
    private static EarlyStopping earlyStopping(YamlValue v) {
        if (v.isMissing()) {
            return null;
        }
        YamlMapping m = v.mapping(List.of("rule", "min_steps"));
        return new EarlyStopping(
                m.get("rule").oneOf(EarlyStopping.Rule.class).orElse(EarlyStopping.Rule.MEDIAN),
                m.get("min_steps").positiveInt().orElse(3));
    }
}
