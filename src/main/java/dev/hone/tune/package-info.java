/**
 * Tuning: the search space, the samplers that propose parameter sets ({@link dev.hone.tune.Samplers}: grid, random,
 * TPE, Gaussian-process Bayesian optimisation, and auto, which picks between them), early stopping
 * ({@link dev.hone.tune.Pruners}: the median rule and ASHA), the team's rebuild program
 * ({@link dev.hone.tune.ScriptRebuilder}), and the {@link dev.hone.tune.Study}: the loop that runs trials in
 * parallel and owns the budgets (max_trials, max_failed_trials, the study timeout) and the target. Running one trial
 * is the pipeline's business, behind {@link dev.hone.tune.TrialRunner}.
 */
package dev.hone.tune;
