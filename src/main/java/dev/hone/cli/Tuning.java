package dev.hone.cli;

import dev.hone.spec.Spec;
import dev.hone.tune.Param;
import dev.hone.tune.Strategy;
import java.util.Locale;
import java.util.stream.Collectors;

/** One line that says how a spec tunes. */
final class Tuning {

    private Tuning() {}

    static String describe(Spec spec) {
        Spec.Tune t = spec.tune();
        if (t.rebuild() != null && (t.strategy() == Strategy.SCRIPT || t.strategy() == Strategy.AUTO)) {
            return "rebuild program `" + t.rebuild() + "`, up to " + t.maxTrials() + " trials";
        }
        if (t.params().isEmpty()) {
            return "none (one training run; declare tune.params or tune.rebuild to tune)";
        }
        return t.strategy().name().toLowerCase(Locale.ROOT) + " over "
                + t.params().stream().map(Param::name).collect(Collectors.joining(", "))
                + ", up to " + t.maxTrials() + " trials, " + t.parallel() + " at once";
    }
}
