package dev.hone.notify;

import dev.hone.run.Notifiable;
import dev.hone.run.RunEvent;
import dev.hone.time.Durations;
import dev.hone.tune.Direction;
import dev.hone.tune.ParamText;
import java.time.Duration;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;

/**
 * Something a developer must hear about. Recorded in its run's log, it is the run's {@link RunEvent.Notified};
 * {@link #type()} is the word of DESIGN §1 and {@code notify.on} ({@link Notifiable}), but for the test message.
 */
public sealed interface Event extends RunEvent.Notified {

    /**
     * Where the event comes from: the project, and when the run came from git the commit, its author ("Name
     * &lt;email&gt;") and the author's address (for {@code notify.email.author}), and the repository's remote URL
     * (https or ssh; commit statuses need it). Each is null when unknown.
     */
    record Origin(String project, String commit, String author, String authorEmail, String remoteUrl,
                  Map<String, String> data, String branch) {

        /**
         * @param data   the version of each data source the run trained on ({@code hone.yaml data:}), by the source
         *               as written; empty when it names none
         * @param branch the run's branch ({@code pull:7} for a pull request); null: unknown
         */
        public Origin {
            data = data == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(data));
        }

        public Origin(String project, String commit, String author, String authorEmail, String remoteUrl,
                      Map<String, String> data) {
            this(project, commit, author, authorEmail, remoteUrl, data, null);
        }

        public Origin(String project, String commit, String author, String authorEmail, String remoteUrl) {
            this(project, commit, author, authorEmail, remoteUrl, Map.of());
        }

        public Origin(String project, String commit, String author) {
            this(project, commit, author, null, null);
        }
    }

    Origin origin();

    /** One line that says the outcome and the figure: the subject of a mail, the summary's event message. */
    @Override
    String message();

    /** What a person needs to act on it, several lines; {@link #message()} is its first. */
    String body();

    /**
     * Training produced no metric: the failing trial's error, exit code and log tail. Trial 0: the environment
     * could not be prepared (image missing, Docker down), so no trial ran.
     */
    record TrainingFailed(Origin origin, int trial, String error, Integer exitCode, List<String> tail)
            implements Event {
        public String type() {
            return Notifiable.TRAINING_FAILED.type();
        }

        public String message() {
            return origin.project() + (trial == 0 ? ": training could not start: "
                    : ": training failed in trial " + trial + ": ") + error;
        }

        public String body() {
            return message() + "\n" + where(origin) + (exitCode == null ? "" : "exit code: " + exitCode + "\n")
                    + block("last log lines", tail);
        }
    }

    record TargetReached(Origin origin, String metric, Direction direction, double value, double target, int trials,
                         int bestTrial, Map<String, Object> params, Duration duration, String front) implements Event {

        /** One metric: no Pareto front. */
        public TargetReached(Origin origin, String metric, Direction direction, double value, double target,
                             int trials, int bestTrial, Map<String, Object> params, Duration duration) {
            this(origin, metric, direction, value, target, trials, bestTrial, params, duration, null);
        }

        public String type() {
            return Notifiable.TARGET_REACHED.type();
        }

        public String message() {
            return origin.project() + ": " + metric + " " + fmt(value) + " " + targetText(direction, target) + " after "
                    + count(trials, "trial");
        }

        public String body() {
            return message() + "\n" + where(origin) + "best trial: " + bestTrial + "\nparameters: "
                    + ParamText.exact(params)
                    + "\nduration: " + Durations.elapsed(duration) + "\n" + (front == null ? "" : front + "\n");
        }
    }

    /** {@code best} null: no trial produced a value. {@code reason}: budget spent, search space exhausted, … */
    record TargetMissed(Origin origin, String metric, Direction direction, Double best, double target, int trials,
                        String reason, String foresight, String front) implements Event {

        /** One metric: no Pareto front. */
        public TargetMissed(Origin origin, String metric, Direction direction, Double best, double target, int trials,
                            String reason, String foresight) {
            this(origin, metric, direction, best, target, trials, reason, foresight, null);
        }

        /** Without an estimate of the chance to reach the target with another budget. */
        public TargetMissed(Origin origin, String metric, Direction direction, Double best, double target, int trials,
                            String reason) {
            this(origin, metric, direction, best, target, trials, reason, null);
        }

        public String type() {
            return Notifiable.TARGET_MISSED.type();
        }

        public String message() {
            return origin.project() + ": " + metric + " target " + fmt(target) + " missed after "
                    + count(trials, "trial") + ", best " + (best == null ? "none" : fmt(best)) + " (" + reason + ")";
        }

        public String body() {
            return message() + "\n" + where(origin) + (foresight == null ? ""
                    : "with the same budget again: " + foresight + "\n") + (front == null ? "" : front + "\n");
        }
    }

    /** The tweak program ({@code tune.rebuild}) failed: its error and the last lines it printed. */
    record RebuildFailed(Origin origin, String error, List<String> tail) implements Event {
        public String type() {
            return Notifiable.REBUILD_FAILED.type();
        }

        public String message() {
            return origin.project() + ": " + error;
        }

        public String body() {
            return message() + "\n" + where(origin) + block("last lines of the rebuild program", tail);
        }
    }

    /**
     * A supervised container stopped and was started again with the same configuration. {@code restarts} counts
     * the restarts so far, this one included; {@code maxRestarts} null: no limit.
     */
    record ContainerRestarted(Origin origin, String container, int restarts, Integer maxRestarts, String reason,
                              List<String> tail) implements Event {
        public String type() {
            return Notifiable.CONTAINER_RESTARTED.type();
        }

        public String message() {
            return origin.project() + ": container " + container + " restarted ("
                    + (maxRestarts == null ? "restart " + restarts : restarts + " of " + maxRestarts) + "): "
                    + reason;
        }

        public String body() {
            return message() + "\n" + where(origin) + block("last log lines", tail);
        }
    }

    /** A supervised container kept stopping and is no longer restarted. */
    record ContainerGaveUp(Origin origin, String container, int restarts, String reason, List<String> tail)
            implements Event {
        public String type() {
            return Notifiable.CONTAINER_GAVE_UP.type();
        }

        public String message() {
            return origin.project() + ": gave up on container " + container + " after " + count(restarts, "restart")
                    + ": " + reason;
        }

        public String body() {
            return message() + "\n" + where(origin) + block("last log lines", tail)
                    + "It stays stopped until the next run deploys it.\n";
        }
    }

    /**
     * A trial's batch job was lost with its node ({@code NODE_FAIL}, {@code PREEMPTED}, {@code BOOT_FAIL}) and was
     * submitted again; the trial runs again under its number. {@code requeues}: of this trial so far, this one
     * included.
     */
    record JobRequeued(Origin origin, String job, int requeues, String reason, List<String> tail) implements Event {
        public String type() {
            return Notifiable.JOB_REQUEUED.type();
        }

        public String message() {
            return origin.project() + ": " + job + " submitted again (requeue " + requeues + "): " + reason;
        }

        public String body() {
            return message() + "\n" + where(origin) + block("last log lines", tail);
        }
    }

    /**
     * A run's best is worse than the base branch's previous best (the latest earlier run of {@code branch} with a
     * value: {@code previousRun} at {@code previousCommit}) by more than {@code metric.regression_tolerance}.
     */
    record Regression(Origin origin, String metric, Direction direction, double value, String branch,
                      long previousRun, String previousCommit, double previous, double tolerance) implements Event {
        public String type() {
            return Notifiable.REGRESSION.type();
        }

        public String message() {
            return origin.project() + ": " + metric + " regressed from " + fmt(previous) + " (run " + previousRun
                    + ", commit " + shortSha(previousCommit) + ") to " + fmt(value) + " (commit "
                    + shortSha(origin.commit()) + ") on " + branch
                    + (tolerance > 0 ? ", beyond the tolerance " + fmt(tolerance) : "");
        }

        public String body() {
            return message() + "\n" + where(origin) + "previous best: " + fmt(previous) + " (run " + previousRun
                    + ", commit " + previousCommit + ")\nthis run's best: " + fmt(value) + "\n"
                    + "Find the commit that made it worse: hone bisect " + shortSha(previousCommit) + " "
                    + shortSha(origin.commit()) + "\n";
        }
    }

    /**
     * A run reached its target, but its best ({@code value}) does not beat the model served now ({@code served}, of
     * run {@code servedRun}) by {@code serve.promote.min_improvement}: the served model stays.
     */
    record ModelKept(Origin origin, String metric, Direction direction, double value, long servedRun, double served,
                     double minImprovement) implements Event {
        public String type() {
            return Notifiable.MODEL_KEPT.type();
        }

        public String message() {
            double gain = direction == Direction.MAXIMIZE ? value - served : served - value;
            String why = gain > 0 ? fmt(value) + " is not " + fmt(minImprovement) + " better than " + fmt(served)
                    : fmt(served) + " " + (gain == 0 ? "=" : direction == Direction.MAXIMIZE ? ">" : "<") + " "
                    + fmt(value);
            return origin.project() + ": kept the served model of run " + servedRun + " (" + why + ")";
        }

        public String body() {
            return message() + "\n" + where(origin) + "served: " + metric + " " + fmt(served) + " (run " + servedRun
                    + ")\nthis run's best: " + fmt(value) + "\n";
        }
    }

    /**
     * The model of run {@code failedRun}, promoted {@code probation} ago at most, failed ({@code reason}): the model
     * of run {@code restoredRun} serves again.
     */
    record RolledBack(Origin origin, long failedRun, long restoredRun, String reason, Duration probation)
            implements Event {
        public String type() {
            return Notifiable.ROLLED_BACK.type();
        }

        public String message() {
            return origin.project() + ": rolled back to the model of run " + restoredRun + ": the model of run "
                    + failedRun + " failed within its probation of " + Durations.format(probation) + " (" + reason
                    + ")";
        }

        public String body() {
            return message() + "\n" + where(origin);
        }
    }

    /** What {@code hone notify test} sends through every channel; not routed by {@code notify.on}. */
    record TestMessage(Origin origin) implements Event {
        public static final String TYPE = "test";

        public String type() {
            return TYPE;
        }

        public String message() {
            return origin.project() + ": test notification from Hone";
        }

        public String body() {
            return message() + "\nThis channel works: Hone's notifications will arrive here.\n";
        }
    }

    private static String where(Origin o) {
        StringBuilder data = new StringBuilder();
        o.data().forEach((source, version) -> data.append("data: ").append(source).append(" at ").append(version)
                .append('\n'));
        return (o.commit() == null ? "" : "commit: " + o.commit() + "\n")
                + (o.author() == null ? "" : "author: " + o.author() + "\n") + data;
    }

    /** A commit id as a message shows it: its first 12 characters; "none" when unknown. */
    static String shortSha(String sha) {
        return sha == null ? "none" : sha.length() > 12 ? sha.substring(0, 12) : sha;
    }

    static String block(String title, List<String> lines) {
        return lines == null || lines.isEmpty() ? "" : title + ":\n  " + String.join("\n  ", lines) + "\n";
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** A target as notifications show it: {@code ≥ 0.96} when maximizing, {@code ≤ 0.2} when minimizing. */
    static String targetText(Direction direction, double target) {
        return direction.targetSign() + " " + fmt(target);
    }

    static String fmt(double v) {
        String s = String.format(Locale.ROOT, "%.4f", v).replaceAll("0+$", "");
        return s.endsWith(".") ? s + "0" : s;
    }
}
