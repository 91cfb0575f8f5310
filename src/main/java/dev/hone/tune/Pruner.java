package dev.hone.tune;

/**
 * Early stopping from intermediate values ({@code early_stopping} in hone.yaml). One pruner serves one study: it
 * is told every intermediate value as the trials report them and every trial as it ends, and says when a running
 * trial should be stopped. Thread-safe: the trials of a parallel study report from their own threads.
 */
public interface Pruner {

    /**
     * A trial reported {@code value} at training step {@code step} (steps grow within a trial).
     *
     * @return true when the trial should be stopped now (it is then recorded PRUNED)
     */
    boolean report(int trialNumber, long step, double value);

    /** A trial ended (succeeded, pruned, failed…): a completed curve joins what later trials are compared with. */
    void finished(Trial trial);

    /** "none", "median", "asha". */
    String name();
}
