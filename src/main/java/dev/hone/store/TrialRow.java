package dev.hone.store;

import dev.hone.metrics.MetricPoint;
import dev.hone.tune.Trial;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A trial as stored, with when it started, where its log is, and the intermediate values of the metrics other than
 * the run's own (those are the trial's {@code intermediate()}), by name.
 */
public record TrialRow(long runId, Trial trial, Instant startedAt, String logPath,
                       Map<String, List<MetricPoint>> otherIntermediate) {

    public TrialRow {
        otherIntermediate = otherIntermediate == null ? Map.of() : Map.copyOf(otherIntermediate);
    }

    /** With no intermediate values of other metrics. */
    public TrialRow(long runId, Trial trial, Instant startedAt, String logPath) {
        this(runId, trial, startedAt, logPath, Map.of());
    }
}
