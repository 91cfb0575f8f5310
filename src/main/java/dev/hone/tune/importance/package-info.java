/**
 * Which parameters mattered in a study: PED-ANOVA (Watanabe et al., 2023, as Optuna's
 * {@code PedAnovaImportanceEvaluator}) over its finished trials — for each parameter, how far the distribution of the
 * best trials' values departs from that of all trials (Pearson divergence of two 1-D Parzen estimates over the
 * parameter's observed range, or of two category frequencies). {@link dev.hone.tune.importance.ParamImportance} is the
 * API; the dashboard shows it ({@code GET /api/runs/{id}/importance}).
 */
package dev.hone.tune.importance;
