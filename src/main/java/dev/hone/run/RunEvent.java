package dev.hone.run;

/**
 * An event of a run's log. Each kind knows its {@link #type()} (the word the events table's {@code type} column,
 * the summary's {@code events[].type} and {@code GET /api/runs/{id}/events} show) and builds its {@link #message()}
 * from what happened. The events a run's channels can be told of are {@link Notified}: {@code dev.hone.notify.Event}
 * is their closed set.
 */
public sealed interface RunEvent {

    String type();

    /** One line that says what happened, as the run's events show it. */
    String message();

    /**
     * An event the run's channels are told of when {@code notify.on} names its type ({@link Notifiable}): the
     * records of {@code dev.hone.notify.Event}, which build its message and the longer body a person reads. The
     * test message of {@code hone notify test} is one too, though no run records it.
     */
    non-sealed interface Notified extends RunEvent {}

    /**
     * The run's repository could not be fetched; the run went back to the queue until {@code retryIn} (the wait as
     * Hone writes a duration: 5s, 1m30s) passed.
     */
    record FetchFailed(String reason, String retryIn) implements RunEvent {
        public static final String TYPE = "fetch_failed";

        public String type() {
            return TYPE;
        }

        public String message() {
            return reason + "; the run waits in the queue and is tried again in " + retryIn;
        }
    }

    /** The commit (or, with none, the branch's head) the run asked for is not in its repository: the run failed. */
    record CommitNotFound(String commit, String branch, String repository) implements RunEvent {
        public static final String TYPE = "commit_not_found";

        public String type() {
            return TYPE;
        }

        public String message() {
            return (commit != null ? "commit " + commit : "branch " + branch) + " is not in " + repository
                    + " (force-pushed away or deleted?)";
        }
    }

    /** No watched repository has the queued run's URL any more: the run failed. */
    record RepositoryRemoved(String repository) implements RunEvent {
        public static final String TYPE = "repository_removed";

        public String type() {
            return TYPE;
        }

        public String message() {
            return "no watched repository has the URL " + repository
                    + " any more: add it again (hone repo add) and trigger a run";
        }
    }

    /** The run stopped on an error nothing else reported: it failed. */
    record StoppedOnError(String reason) implements RunEvent {
        public static final String TYPE = "error";

        public String type() {
            return TYPE;
        }

        public String message() {
            return "the run stopped on an error: " + reason;
        }
    }

    /**
     * A run was cancelled through the API by the token named {@code by} ({@code api_token}, or a name of
     * {@code hone token}): before it started, or while it ran (its trials are stopped, and it ends cancelled).
     */
    record Cancelled(String by, boolean whileRunning) implements RunEvent {
        public static final String TYPE = RunStatus.CANCELLED.label();

        public String type() {
            return TYPE;
        }

        public String message() {
            return "cancelled through the API by " + by + (whileRunning ? " while it ran; its trials were stopped"
                    : " before it started");
        }
    }

    /** A queued run that run {@code byRun} of a newer push to its branch replaced ({@code commit} null: the head). */
    record Superseded(String branch, long byRun, String commit) implements RunEvent {
        public static final String TYPE = RunStatus.SUPERSEDED.label();

        public String type() {
            return TYPE;
        }

        public String message() {
            return "a newer push to " + branch + " replaced it: run " + byRun + " runs "
                    + (commit == null ? "its head" : "commit " + commit);
        }
    }

    /** The process running the run stopped before the run ended; its trials were stopped. */
    record Interrupted(Cause cause) implements RunEvent {
        public static final String TYPE = RunStatus.INTERRUPTED.label();

        /** Which process stopped. */
        public enum Cause {
            /** {@code hone serve} stopped (and may resume the run when it starts again). */
            SERVE_STOPPED("hone serve stopped while the run was running"),
            /** The {@code hone run} that ran it died: killed, or its machine went down. */
            RUN_GONE("the hone run that ran it stopped without ending it (killed, or the machine went down)");

            private final String text;

            Cause(String text) {
                this.text = text;
            }
        }

        public String type() {
            return TYPE;
        }

        public String message() {
            return cause.text + "; its trials were stopped";
        }
    }

    /**
     * A trial's pod was taken off its node (evicted, preempted, the node lost) and the trial runs again under its
     * number, counted once.
     */
    record PodRescheduled(String trial, String pod, String reason) implements RunEvent {
        public static final String TYPE = "pod_rescheduled";

        public String type() {
            return TYPE;
        }

        public String message() {
            return (trial == null ? "a command's" : "trial " + trial + "'s") + " pod " + pod + " was taken off its"
                    + " node (" + reason + "); " + (trial == null ? "it" : "the trial") + " runs again";
        }
    }

    /**
     * A confirmation of a trial that reached the target ended ({@code metric.confirm}): {@code text} says which runs,
     * with which seeds and values, made which aggregate, and whether it reached the target too.
     */
    record Confirmation(String text, boolean reached) implements RunEvent {
        public static final String TYPE = "confirmation";

        public String type() {
            return TYPE;
        }

        public String message() {
            return text;
        }
    }

    /**
     * A restarted {@code hone serve} took the run back up, to continue from its {@code trials} recorded trials; or,
     * {@code controller} named, another controller took it over once that one's lease expired.
     */
    record Resumed(int trials, String controller) implements RunEvent {
        public static final String TYPE = "resumed";

        /** Resumed by a {@code hone serve} started again. */
        public Resumed(int trials) {
            this(trials, null);
        }

        public String type() {
            return TYPE;
        }

        public String message() {
            String from = " the run continues from its " + trials + " recorded trial" + (trials == 1 ? "" : "s");
            return controller == null ? "hone serve started again:" + from
                    : "the hone serve that ran it (" + controller + ") stopped renewing its lease: another took it"
                    + " over;" + from;
        }
    }

    /** {@code hone.yaml} or the command line is invalid: every problem, one per line. */
    record InvalidConfig(String problems) implements RunEvent {
        public static final String TYPE = RunStatus.INVALID_CONFIG.label();

        public String type() {
            return TYPE;
        }

        public String message() {
            return problems;
        }
    }
}
