package dev.hone.metrics;

/** An intermediate value of the metric, reported at a training step (or epoch). */
public record MetricPoint(long step, double value) {}
