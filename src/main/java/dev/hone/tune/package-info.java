/**
 * Tuning, and its vocabulary: the search space ({@link dev.hone.tune.Param} and its kinds, the metric's
 * {@link dev.hone.tune.Direction}, the {@link dev.hone.tune.Strategy}), the samplers that propose parameter sets
 * ({@link dev.hone.tune.Samplers}: grid, random, TPE, Gaussian-process Bayesian optimisation, and auto, which picks
 * between them; their numerics are the internal subpackages {@code gp} and {@code tpe}), early stopping
 * ({@link dev.hone.tune.Pruners}: the median rule and ASHA), and the {@link dev.hone.tune.Study}: the loop that runs
 * trials in parallel and owns the budgets (max_trials, max_failed_trials, the study timeout) and the target.
 * Running one trial, and the team's rebuild program, are the pipeline's business, behind
 * {@link dev.hone.tune.TrialRunner} and {@link dev.hone.tune.Rebuilder}; {@code spec} builds this package's
 * vocabulary from hone.yaml. It imports the JDK, {@code metrics}, the leaf {@code time} (durations in its messages)
 * and its own subpackages only.
 */
package dev.hone.tune;
