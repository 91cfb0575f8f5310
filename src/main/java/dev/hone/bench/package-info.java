/**
 * {@code hone bench …}: measurements of Hone itself, run on demand, whose figures go in docs/benchmarks.md:
 * orchestration overhead per trial, and tuning ({@link dev.hone.bench.TuningBench}: trials to reach a target beside
 * Optuna, suggestion latency, parallel trials, early stopping).
 */
package dev.hone.bench;
