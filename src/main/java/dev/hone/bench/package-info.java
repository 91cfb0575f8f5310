/**
 * {@code hone bench …}: measurements of Hone itself, run on demand, whose figures go in docs/benchmarks.md:
 * orchestration overhead per trial, tuning ({@link dev.hone.bench.TuningBench}: trials to reach a target beside
 * Optuna, suggestion latency, parallel trials, early stopping), what a run costs to fetch from a long history
 * ({@link dev.hone.bench.FetchBench}), and what a big trial log costs {@code hone serve} ({@link
 * dev.hone.bench.LogBench}: resident memory and {@code /health} under many readers), push-to-training-start
 * through a webhook ({@link dev.hone.bench.WebhookBench}), and on Docker a trial's overhead ({@link
 * dev.hone.bench.DockerOverheadBench}) and a crashed workspace container's relaunch ({@link
 * dev.hone.bench.RelaunchBench}). Each measures its package from outside, through its public API.
 */
package dev.hone.bench;
