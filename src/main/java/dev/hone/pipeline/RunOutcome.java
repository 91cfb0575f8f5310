package dev.hone.pipeline;

/**
 * How a run ended: its summary, its id in the store (0 when nothing was recorded), and for a missed target why the
 * study stopped ("budget spent", "search space exhausted"; null otherwise). {@code hone run} exits with its status's
 * {@linkplain dev.hone.run.RunStatus#exitCode() exit code}.
 */
public record RunOutcome(long runId, Summary summary, String stoppedBecause) {

    public RunOutcome(long runId, Summary summary) {
        this(runId, summary, null);
    }

    /** 0 target reached or succeeded, 1 target missed, 2 invalid configuration, 3 failed, 130 cancelled. */
    public int exitCode() {
        return summary.status().exitCode();
    }
}
