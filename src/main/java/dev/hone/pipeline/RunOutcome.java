package dev.hone.pipeline;

/**
 * How a run ended: its summary, its id in the store (0 when nothing was recorded) and the exit code of
 * {@code hone run}: 0 target reached or succeeded, 1 target missed, 2 invalid configuration, 3 training or the
 * rebuild program failed, 130 cancelled.
 */
public record RunOutcome(long runId, Summary summary, int exitCode) {

    public static final int OK = 0;
    public static final int TARGET_MISSED = 1;
    public static final int INVALID = 2;
    public static final int FAILED = 3;
    public static final int CANCELLED = 130;
}
