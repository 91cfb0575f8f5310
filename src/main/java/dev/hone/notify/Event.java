package dev.hone.notify;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Something a developer must hear about. {@link #type()} is the word of DESIGN §1 and {@code notify.on}. */
public sealed interface Event {

    /** The project, and the commit and its author when the run came from git (else null). */
    record Origin(String project, String commit, String author) {}

    Origin origin();

    String type();

    /** One line that says the outcome and the figure: the subject of a mail, the summary's event message. */
    String message();

    /** What a person needs to act on it, several lines; {@link #message()} is its first. */
    String body();

    /** Training produced no metric: the failing trial's error, exit code and log tail. */
    record TrainingFailed(Origin origin, int trial, String error, Integer exitCode, List<String> tail)
            implements Event {
        public String type() {
            return "training_failed";
        }

        public String message() {
            return origin.project() + ": training failed in trial " + trial + ": " + error;
        }

        public String body() {
            return message() + "\n" + where(origin) + (exitCode == null ? "" : "exit code: " + exitCode + "\n")
                    + block("last log lines", tail);
        }
    }

    record TargetReached(Origin origin, String metric, String direction, double value, double target, int trials,
                         int bestTrial, Map<String, Object> params, Duration duration) implements Event {
        public String type() {
            return "target_reached";
        }

        public String message() {
            return origin.project() + ": " + metric + " " + fmt(value) + (direction.equals("maximize") ? " ≥ " : " ≤ ")
                    + fmt(target) + " after " + trials + (trials == 1 ? " trial" : " trials");
        }

        public String body() {
            return message() + "\n" + where(origin) + "best trial: " + bestTrial + "\nparameters: " + params
                    + "\nduration: " + human(duration) + "\n";
        }
    }

    /** {@code best} null: no trial produced a value. */
    record TargetMissed(Origin origin, String metric, String direction, Double best, double target, int trials,
                        String reason) implements Event {
        public String type() {
            return "target_missed";
        }

        public String message() {
            return origin.project() + ": " + metric + " target " + fmt(target) + " missed after " + trials
                    + (trials == 1 ? " trial" : " trials") + ", best " + (best == null ? "none" : fmt(best))
                    + " (" + reason + ")";
        }

        public String body() {
            return message() + "\n" + where(origin);
        }
    }

    record RebuildFailed(Origin origin, String error, List<String> tail) implements Event {
        public String type() {
            return "rebuild_failed";
        }

        public String message() {
            return origin.project() + ": " + error;
        }

        public String body() {
            return message() + "\n" + where(origin) + block("last lines of the rebuild program", tail);
        }
    }

    private static String where(Origin o) {
        return (o.commit() == null ? "" : "commit: " + o.commit() + "\n")
                + (o.author() == null ? "" : "author: " + o.author() + "\n");
    }

    private static String block(String title, List<String> lines) {
        return lines.isEmpty() ? "" : title + ":\n  " + String.join("\n  ", lines) + "\n";
    }

    static String fmt(double v) {
        String s = String.format(Locale.ROOT, "%.4f", v).replaceAll("0+$", "");
        return s.endsWith(".") ? s + "0" : s;
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        return s < 60 ? (d.toMillis() / 100) / 10.0 + "s" : s / 60 + "m" + (s % 60) + "s";
    }
}
