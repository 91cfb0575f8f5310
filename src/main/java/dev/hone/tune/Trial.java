package dev.hone.tune;

import dev.hone.metrics.MetricPoint;
import java.util.List;
import java.util.Map;

/**
 * One training run with one parameter set. Trial numbers start at 1.
 *
 * @param params       the parameters it ran with, in the search space's order (values: Double, Long, String,
 *                     Boolean); empty with no search space
 * @param value        the metric, null when the trial produced none
 * @param intermediate intermediate values reported with step=/epoch= (early stopping)
 * @param exitCode     null while running or when it never started
 * @param error        why it failed ("ZeroDivisionError: division by zero", "timed out after 30s"), else null
 * @param diff         the workspace edits it ran with, relative to the checkout (unified diff), or "" for none
 */
public record Trial(int number, Map<String, Object> params, TrialState state, Double value,
                    List<MetricPoint> intermediate, Integer exitCode, long durationMs, String error, String diff) {

    public static Trial running(int number, Map<String, Object> params) {
        return new Trial(number, params, TrialState.RUNNING, null, List.of(), null, 0, null, "");
    }

    public boolean hasValue() {
        return state == TrialState.SUCCEEDED && value != null;
    }
}
