/**
 * {@code hone bench …}: measurements of Hone itself, run on demand, whose figures go in docs/benchmarks.md:
 * orchestration overhead per trial, tuning ({@link dev.hone.bench.TuningBench}: trials to reach a target beside
 * Optuna, suggestion latency, parallel trials, early stopping), and what a run costs to fetch from a long history
 * ({@link dev.hone.bench.FetchBench}).
 */
package dev.hone.bench;
