package dev.hone.run;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A run's status. Its {@link #label()} is DESIGN §1's word, the text of the runs table's {@code status} column and
 * of every {@code status} the API and the summary show. A run is {@link #live()} while it is queued or running; it
 * ends with one of the others, and {@code hone run} exits with that status's {@link #exitCode()}.
 */
public enum RunStatus {

    /** Waiting in {@code hone serve}'s queue. */
    QUEUED("queued", null),
    RUNNING("running", null),
    /** Training produced the metric and no target was set. */
    SUCCEEDED("succeeded", 0),
    TARGET_REACHED("target_reached", 0),
    /** The budget ran out before the target was reached. */
    TARGET_MISSED("target_missed", 1),
    /** No trial produced the metric, the environment could not be prepared, or the rebuild program failed. */
    FAILED("failed", 3),
    INVALID_CONFIG("invalid_config", 2),
    /** Stopped by Ctrl-C or the API. */
    CANCELLED("cancelled", 130),
    /** A queued run a newer push to its branch replaced before it ran. */
    SUPERSEDED("superseded", 130),
    /** The process running it stopped (hone serve stopped, or a hone run died) before it ended. */
    INTERRUPTED("interrupted", 130);

    private final String label;
    private final Integer exitCode;

    RunStatus(String label, Integer exitCode) {
        this.label = label;
        this.exitCode = exitCode;
    }

    @JsonValue
    public String label() {
        return label;
    }

    /** Queued or running: the run has not ended, and its status will change by itself. */
    public boolean live() {
        return exitCode == null;
    }

    /**
     * The exit code of a {@code hone run} that ends with this status: 0 target reached or succeeded, 1 target
     * missed, 2 invalid configuration, 3 failed, 130 stopped before its end.
     *
     * @throws IllegalStateException for a live status: the run has not ended
     */
    public int exitCode() {
        if (exitCode == null) {
            throw new IllegalStateException("a " + label + " run has not ended, so it has no exit code");
        }
        return exitCode;
    }

    /** The status whose label is {@code label}. */
    @JsonCreator
    public static RunStatus of(String label) {
        return Words.of(values(), RunStatus::label, "run status", label);
    }

    /** The label, so that a status reads as its word wherever it is written into text. */
    @Override
    public String toString() {
        return label;
    }
}
