package dev.hone.tune;

import dev.hone.metrics.MetricPoint;
import dev.hone.run.Usage;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One training run with one parameter set. Trial numbers start at 1. The canonical constructor takes every field
 * (a finished trial as the executor or the store knows it); the factories say which kind of trial they make.
 *
 * @param params       the parameters it ran with, in the search space's order (values: Double, Long, String,
 *                     Boolean); empty with no search space
 * @param value        the metric, null when the trial produced none
 * @param intermediate intermediate values reported with step=/epoch= (early stopping)
 * @param exitCode     null while running or when it never started
 * @param error        why it failed ("ZeroDivisionError: division by zero", "timed out after 30s"), else null
 * @param diff         the workspace edits it ran with, relative to the checkout (unified diff), or "" for none
 * @param metrics      every metric it reported, by name (the last value of each; the objective under its own name);
 *                     empty when none or unknown
 * @param resources    what it used, as its executor measured it; null while running, for a trial that never started
 *                     and for one recorded before resources were
 */
public record Trial(int number, Map<String, Object> params, TrialState state, Double value,
                    List<MetricPoint> intermediate, Integer exitCode, long durationMs, String error, String diff,
                    Map<String, Double> metrics, Usage resources) {

    public Trial {
        metrics = metrics == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** A trial whose resource use is not known. */
    public Trial(int number, Map<String, Object> params, TrialState state, Double value,
                 List<MetricPoint> intermediate, Integer exitCode, long durationMs, String error, String diff,
                 Map<String, Double> metrics) {
        this(number, params, state, value, intermediate, exitCode, durationMs, error, diff, metrics, null);
    }

    /** A trial with no metric but its objective's known (as before every metric was recorded). */
    public Trial(int number, Map<String, Object> params, TrialState state, Double value,
                 List<MetricPoint> intermediate, Integer exitCode, long durationMs, String error, String diff) {
        this(number, params, state, value, intermediate, exitCode, durationMs, error, diff, Map.of());
    }

    /** A trial that has started: no value, no exit code, no duration yet. */
    public static Trial running(int number, Map<String, Object> params, String diff) {
        return new Trial(number, params, TrialState.RUNNING, null, List.of(), null, 0, null, diff);
    }

    /** A running trial with the checkout as it is (no workspace edits). */
    public static Trial running(int number, Map<String, Object> params) {
        return running(number, params, "");
    }

    /** A trial that exited 0 with {@code value}, with the checkout as it is. */
    public static Trial succeeded(int number, Map<String, Object> params, double value,
                                  List<MetricPoint> intermediate, long durationMs) {
        return new Trial(number, params, TrialState.SUCCEEDED, value, intermediate, 0, durationMs, null, "");
    }

    /**
     * This trial ended in {@code state} without a value or an exit code, because of {@code error}: killed, never
     * started, abandoned. Its number, parameters, intermediate values and diff stay.
     */
    public Trial ended(TrialState state, String error, long durationMs) {
        return new Trial(number, params, state, null, intermediate, null, durationMs, error, diff, metrics,
                resources);
    }

    /**
     * This trial, ended because the study was over ({@code reason}: "target reached by trial 3"): STOPPED, with its
     * duration and what it had reported; not a failure.
     */
    public Trial stopped(String reason) {
        return new Trial(number, params, TrialState.STOPPED, null, intermediate, null, durationMs, reason, diff,
                metrics, resources);
    }

    /** This trial stopped early by the pruner after reporting {@code curve}. */
    public Trial pruned(List<MetricPoint> curve, long durationMs, String error) {
        return new Trial(number, params, TrialState.PRUNED, null, curve, null, durationMs, error, diff, metrics,
                resources);
    }

    /** This trial with what it used. */
    public Trial withResources(Usage used) {
        return new Trial(number, params, state, value, intermediate, exitCode, durationMs, error, diff, metrics, used);
    }

    public boolean hasValue() {
        return state == TrialState.SUCCEEDED && value != null;
    }
}
