package dev.hone.server;

/**
 * How the queue runs: {@code runs} at once in the installation, {@code runsPerProject} at once per project, and,
 * when {@code coalesce}, a burst of pushes to one branch runs only its newest commit (the older queued runs end
 * {@code superseded}). A branch never has two runs at once.
 */
public record QueuePolicy(int runs, int runsPerProject, boolean coalesce) {

    public QueuePolicy {
        if (runs < 1 || runsPerProject < 1) {
            throw new IllegalArgumentException("runs and runs per project must be at least 1, got " + runs + " and "
                    + runsPerProject);
        }
    }

    /** {@code runs} at once, as many of them per project, coalescing. */
    public static QueuePolicy of(int runs) {
        return new QueuePolicy(runs, runs, true);
    }
}
