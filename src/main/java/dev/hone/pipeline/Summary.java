package dev.hone.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.hone.run.DeliveryStatus;
import dev.hone.run.RunStatus;
import dev.hone.run.Usage;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The run summary of DESIGN §1, key for key ({@code hone run --json FILE}, {@code GET /api/runs/{id}}), and
 * {@code run}, the run's id (DESIGN §7). {@code problems} appears only for {@code invalid_config},
 * {@code early_stopping} only when it is configured; {@code objectives} and {@code pareto_front} (the trials no other
 * trial beats on every objective, in number order) only when {@code metric} is a list; {@code warm_start} only
 * when the run started from earlier runs' trials ({@code tune.warm_start}).
 */
@JsonPropertyOrder({"run", "status", "project", "commit", "metric", "best", "trials", "events", "notifications"})
public record Summary(long run, RunStatus status, String project, String commit, Metric metric, Best best, List<Trial> trials,
                      List<Event> events, List<Notification> notifications,
                      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> problems,
                      @JsonInclude(JsonInclude.Include.NON_NULL) EarlyStopping earlyStopping,
                      @JsonInclude(JsonInclude.Include.NON_NULL) List<Objective> objectives,
                      @JsonInclude(JsonInclude.Include.NON_NULL) List<FrontTrial> paretoFront,
                      @JsonInclude(JsonInclude.Include.NON_NULL) WarmStart warmStart) {

    /** One metric: no objectives, no front; started clean. */
    public Summary(long run, RunStatus status, String project, String commit, Metric metric, Best best,
                   List<Trial> trials, List<Event> events, List<Notification> notifications, List<String> problems,
                   EarlyStopping earlyStopping) {
        this(run, status, project, commit, metric, best, trials, events, notifications, problems, earlyStopping, null,
                null, null);
    }

    /** Started clean. */
    public Summary(long run, RunStatus status, String project, String commit, Metric metric, Best best,
                   List<Trial> trials, List<Event> events, List<Notification> notifications, List<String> problems,
                   EarlyStopping earlyStopping, List<Objective> objectives, List<FrontTrial> paretoFront) {
        this(run, status, project, commit, metric, best, trials, events, notifications, problems, earlyStopping,
                objectives, paretoFront, null);
    }

    /** This summary with {@code warm}; null: none. */
    public Summary withWarmStart(WarmStart warm) {
        return new Summary(run, status, project, commit, metric, best, trials, events, notifications, problems,
                earlyStopping, objectives, paretoFront, warm);
    }

    /**
     * With {@code tune.warm_start}: how many of the earlier runs' trials the sampler used as a prior, the runs they
     * come from, and how many were dropped for not fitting the search space.
     */
    @JsonPropertyOrder({"trials", "runs", "dropped"})
    public record WarmStart(int trials, List<Long> runs, int dropped) {}

    /** {@code metric} as a list: each objective in order, the first being {@code metric}. */
    public record Objective(String name, String direction) {}

    /** A trial of the Pareto front and its value of each objective, by name in the objectives' order. */
    @JsonPropertyOrder({"trial", "values"})
    public record FrontTrial(int trial, Map<String, Double> values) {}

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
     * {@code resources}: what it used; null when not known (running, never started, recorded by an older Hone).
     */
    @JsonPropertyOrder({"number", "state", "value", "params", "exit_code", "duration_ms", "error", "metrics",
            "resources"})
    public record Trial(int number, String state, Double value, Map<String, Object> params, Integer exitCode,
                        long durationMs, String error, Map<String, Double> metrics, Resources resources) {}

    /**
     * A trial's {@code resources} (DESIGN §7), as its executor measured them: wall and CPU time in seconds, peak
     * memory in bytes, and for a trial given GPUs the most memory they held at once (bytes) and their mean
     * utilisation (percent); a figure not measured is null; {@code source} says where the figures come from.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"wall_s", "cpu_s", "peak_memory_bytes", "gpu_memory_peak_bytes", "gpu_utilization_mean",
            "source"})
    public record Resources(@JsonProperty("wall_s") double wallS, @JsonProperty("cpu_s") Double cpuS,
                            Long peakMemoryBytes, Long gpuMemoryPeakBytes, Double gpuUtilizationMean, String source) {

        /** The figures of {@code usage}, to the millisecond; null for null. */
        public static Resources of(Usage usage) {
            if (usage == null) {
                return null;
            }
            return new Resources(seconds(usage.wall()), usage.cpu() == null ? null : seconds(usage.cpu()),
                    usage.peakMemoryBytes(), usage.gpuMemoryPeakBytes(), usage.gpuUtilizationMean(), usage.source());
        }

        /** The usage these figures stand for. */
        public Usage usage() {
            return new Usage(Duration.ofMillis(Math.round(wallS * 1000)),
                    cpuS == null ? null : Duration.ofMillis(Math.round(cpuS * 1000)), peakMemoryBytes,
                    gpuMemoryPeakBytes, gpuUtilizationMean, source);
        }

        private static double seconds(Duration duration) {
            return duration.toMillis() / 1000.0;
        }
    }

    public record Event(String type, String message) {}

    public record Notification(String event, String channel, DeliveryStatus status, String detail) {}
}
