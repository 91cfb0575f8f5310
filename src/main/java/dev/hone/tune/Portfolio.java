package dev.hone.tune;

import java.util.List;
import java.util.Map;

/**
 * {@code strategy: auto}'s portfolio: the Gaussian process ({@link GpSampler}) while it predicts well, multivariate
 * TPE ({@link TpeSampler}) for a trial when it does not. The rule: before each suggestion, the model is fitted to
 * the trials before the last {@value #RECENT} with a value and predicts those {@value #RECENT}; when Spearman's rank
 * correlation of its predictions with their values is below {@value #POOR} (the model orders the recent trials no
 * better than chance, or backwards), this suggestion comes from multivariate TPE, which assumes no smoothness;
 * otherwise, and while there are too few trials to judge, from the Gaussian process. Both see the whole history, so
 * the trials of one help the other. The check costs little: its hyperparameter fit (to the trials before the last
 * {@value #RECENT}) is the one the Gaussian process made for its suggestion {@value #RECENT} trials earlier, which it
 * keeps ({@link GpSampler#rankCorrelation}). With a warm start ({@link WarmStart}) both take the prior; the rule
 * judges the model on this run's own trials only. Named {@code bayes}: the Gaussian process is the sampler it runs
 * unless the
 * rule says otherwise.
 */
final class Portfolio implements Sampler {

    /** The recent trials the model's predictions are judged on. */
    static final int RECENT = 10;
    /** Below this rank correlation the model's predictions are poor. */
    static final double POOR = 0.2;

    private final GpSampler gp;
    private final TpeSampler tpe;

    Portfolio(long seed) {
        this(new GpSampler(seed), new TpeSampler(seed, true));
    }

    private Portfolio(GpSampler gp, TpeSampler tpe) {
        this.gp = gp;
        this.tpe = tpe;
    }

    @Override
    public Sampler warmedBy(List<Trial> prior) {
        return new Portfolio(gp.warmedBy(prior), tpe.warmedBy(prior));
    }

    @Override
    public String name() {
        return gp.name();
    }

    @Override
    public List<Map<String, Object>> suggest(SearchSpace space, List<Trial> history, int n) {
        // the check's fit is the one the Gaussian process's suggestion made RECENT trials ago (kept by it)
        return gp.rankCorrelation(space, history, RECENT) < POOR ? tpe.suggest(space, history, n)
                : gp.suggest(space, history, n);
    }

    /** Whether the rule hands this suggestion to TPE. */
    static boolean poorModel(SearchSpace space, List<Trial> history) {
        return GpSampler.recentRankCorrelation(space, history, RECENT) < POOR;
    }
}
