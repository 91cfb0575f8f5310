package dev.hone.notify;

/**
 * What a commit status says about an event: success when the target was reached, failure when training failed or
 * the target was missed or the best regressed, error when the rebuild program failed. Other events set no status.
 */
enum CommitStatus {
    SUCCESS, FAILURE, ERROR;

    private static final int MAX_DESCRIPTION = 140;

    /** Null for events that set no status. */
    static CommitStatus of(Event event) {
        return switch (event) {
            case Event.TargetReached e -> SUCCESS;
            case Event.TrainingFailed e -> FAILURE;
            case Event.TargetMissed e -> FAILURE;
            case Event.RebuildFailed e -> ERROR;
            case Event.Regression e -> FAILURE;
            default -> null;
        };
    }

    /** The event's message without the project (the status sits on the project's commit), at most 140 characters. */
    static String description(Event event) {
        String message = event.message();
        String prefix = event.origin().project() + ": ";
        String text = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
        return text.length() <= MAX_DESCRIPTION ? text : text.substring(0, MAX_DESCRIPTION - 1) + "…";
    }
}
