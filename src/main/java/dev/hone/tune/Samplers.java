package dev.hone.tune;

import dev.hone.HoneException;
import dev.hone.spec.Spec;
import java.util.Locale;

/** Creates the built-in samplers. Each is deterministic for its seed and the trial history it is shown. */
public final class Samplers {

    private Samplers() {}

    /** The cartesian product of the parameters' points, in an order shuffled with {@code seed}. */
    public static Sampler grid(long seed) {
        return new GridSampler(seed);
    }

    /** Independent uniform (or log-uniform) draws per parameter. */
    public static Sampler random(long seed) {
        return new RandomSampler(seed);
    }

    /**
     * The sampler for {@code tune.strategy}. AUTO is random in this version. {@code space} and {@code maxTrials}
     * are for strategies that adapt to them (AUTO may later pick a grid that fits the budget).
     *
     * @throws HoneException for TPE and BAYES, which are not available yet
     * @throws IllegalArgumentException for SCRIPT: the rebuild program chooses the parameters, not a sampler
     */
    public static Sampler forStrategy(Spec.Strategy strategy, SearchSpace space, int maxTrials, long seed) {
        return switch (strategy) {
            case AUTO, RANDOM -> random(seed);
            case GRID -> grid(seed);
            case TPE, BAYES -> throw new HoneException("strategy: " + strategy.name().toLowerCase(Locale.ROOT)
                    + " is not available yet; use random or grid");
            case SCRIPT -> throw new IllegalArgumentException(
                    "strategy script has no sampler: the rebuild program chooses the parameters (give the Study a"
                            + " Rebuilder)");
        };
    }
}
