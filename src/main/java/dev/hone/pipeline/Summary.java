package dev.hone.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.hone.run.DeliveryStatus;
import dev.hone.run.RunStatus;
import java.util.List;
import java.util.Map;

/**
 * The run summary of DESIGN §1, key for key ({@code hone run --json FILE}, {@code GET /api/runs/{id}}), and
 * {@code run}, the run's id (DESIGN §7). {@code problems} appears only for {@code invalid_config},
 * {@code early_stopping} only when it is configured.
 */
@JsonPropertyOrder({"run", "status", "project", "commit", "metric", "best", "trials", "events", "notifications"})
public record Summary(long run, RunStatus status, String project, String commit, Metric metric, Best best, List<Trial> trials,
                      List<Event> events, List<Notification> notifications,
                      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> problems,
                      @JsonInclude(JsonInclude.Include.NON_NULL) EarlyStopping earlyStopping) {

    /**
     * With {@code tune.early_stopping}: the rule, the trials it stopped, and the training steps it saved (for each
     * pruned trial, the longest completed trial's steps minus the steps it ran).
     */
    public record EarlyStopping(String rule, long pruned, long stepsSaved) {}

    /**
     * {@code targetSign}: how a target of this direction is shown, {@code ≥} (maximize) or {@code ≤} (minimize), so
     * that the dashboard shows it as the notifications and the command line do.
     */
    public record Metric(String name, String direction, Double target, String targetSign) {}

    public record Best(int trial, double value, Map<String, Object> params) {}

    /**
     * {@code error}: why it failed, or, for a trial that did not fail, why it does not count ("target reached by
     * trial 3" for a stopped one, the constraint a succeeded one broke). {@code metrics}: every metric it reported.
     */
    @JsonPropertyOrder({"number", "state", "value", "params", "exit_code", "duration_ms", "error", "metrics"})
    public record Trial(int number, String state, Double value, Map<String, Object> params, Integer exitCode,
                        long durationMs, String error, Map<String, Double> metrics) {}

    public record Event(String type, String message) {}

    public record Notification(String event, String channel, DeliveryStatus status, String detail) {}
}
