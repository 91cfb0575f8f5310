/**
 * The trial's metric: read from the lines a training program prints ({@code accuracy=0.93}, with
 * {@code step=N} for intermediate values) or from the {@code metrics.json} it writes, by a
 * {@link dev.hone.metrics.MetricReader}.
 */
package dev.hone.metrics;
