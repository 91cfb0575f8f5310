package dev.hone.tune;


/**
 * Creates the built-in samplers. Each is deterministic for its seed and the trial history it is shown.
 *
 * <p>{@code strategy: auto} picks by the space and the budget:
 * <ul>
 *   <li>Bayesian optimisation ({@link #bayes}) when the space has at most {@value #AUTO_MAX_DIMS} model
 *       coordinates (a float or an integer is one, a categorical one per choice), no more than half of its
 *       parameters are categorical, and {@code max_trials} is at most {@value #AUTO_MAX_TRIALS} — as a
 *       portfolio ({@link Portfolio}): a trial goes to multivariate TPE instead when the Gaussian process's
 *       predictions of the last {@value Portfolio#RECENT} trials rank them poorly (Spearman's ρ below
 *       {@value Portfolio#POOR});</li>
 *   <li>TPE ({@link #tpe}, multivariate) otherwise: a large or categorical-heavy space, or a large budget, where a
 *       Gaussian process gains little per trial and costs more per suggestion;</li>
 *   <li>multi-objective TPE (multivariate) whenever the space has several objectives: the Gaussian process models
 *       one.</li>
 * </ul>
 * An empty space has one parameter set; any sampler runs it once. The rule rests on {@code hone bench tuning}
 * (docs/benchmarks.md): on Branin, Hartmann-6 and an SVC on scikit-learn's digits the Gaussian process reaches the
 * target in a quarter to a half of the trials TPE needs (a median of 16.5 and 21 trials on Branin and Hartmann-6,
 * 10/10 seeds), and a suggestion with 200 finished trials takes milliseconds.
 */
public final class Samplers {

    /** AUTO uses Bayesian optimisation up to this many model coordinates. */
    public static final int AUTO_MAX_DIMS = 20;
    /** AUTO uses Bayesian optimisation up to this budget. */
    public static final int AUTO_MAX_TRIALS = 500;

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
     * Gaussian-process Bayesian optimisation: Matérn-5/2 kernel with fitted length scales, expected improvement,
     * aimed at the target once the model sees a fair chance of reaching it. See {@link GpSampler}.
     */
    public static Sampler bayes(long seed) {
        return new GpSampler(seed);
    }

    /**
     * The tree-structured Parzen estimator with Optuna's defaults (10 random startup trials, γ(n) = min(⌈n/10⌉,
     * 25), 24 expected-improvement candidates). {@code multivariate}: one joint density over all parameters
     * instead of one per parameter. See {@link TpeSampler}.
     */
    public static Sampler tpe(long seed, boolean multivariate) {
        return new TpeSampler(seed, multivariate);
    }

    /**
     * The sampler for {@code tune.strategy}; AUTO as the class comment says.
     *
     * @throws IllegalArgumentException for SCRIPT: the rebuild program chooses the parameters, not a sampler
     */
    public static Sampler forStrategy(Strategy strategy, SearchSpace space, int maxTrials, long seed) {
        return switch (strategy) {
            case AUTO -> auto(space, maxTrials, seed);
            case RANDOM -> random(seed);
            case GRID -> grid(seed);
            case TPE -> tpe(seed, false);
            case BAYES -> {
                if (space.multiObjective()) {
                    throw new IllegalArgumentException("strategy bayes models one metric: with several objectives"
                            + " use auto or tpe (multi-objective TPE), random or grid");
                }
                yield bayes(seed);
            }
            case SCRIPT -> throw new IllegalArgumentException(
                    "strategy script has no sampler: the rebuild program chooses the parameters (give the Study a"
                            + " Rebuilder)");
        };
    }

    private static Sampler auto(SearchSpace space, int maxTrials, long seed) {
        if (space.isEmpty()) {
            return random(seed);
        }
        if (space.multiObjective()) {
            return tpe(seed, true);
        }
        int categorical = 0;
        for (Param p : space.params()) {
            if (p instanceof CategoricalParam) {
                categorical++;
            }
        }
        int dims = new UnitCube(space.params()).dims();
        boolean gp = dims <= AUTO_MAX_DIMS && 2 * categorical <= space.params().size()
                && maxTrials <= AUTO_MAX_TRIALS;
        return gp ? new Portfolio(seed) : tpe(seed, true);
    }
}
