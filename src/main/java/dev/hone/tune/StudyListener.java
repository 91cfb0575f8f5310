package dev.hone.tune;

/** Told of the study's progress (live progress line, store writes). Called from worker threads. */
public interface StudyListener {

    default void trialStarted(Trial trial) {}

    /** {@code best}: the best trial so far (including this one), or null when none has a value. */
    default void trialFinished(Trial trial, Trial best) {}

    /** A confirmation ({@code metric.confirm}) ended, reaching the target or not; called on the study's thread. */
    default void confirmationEnded(Confirmation confirmation) {}

    /**
     * The chance of reaching the target within the remaining budget now ({@link Foresight}), told after a trial
     * ends that did not reach it and before {@link #trialFinished} of that trial; only with a target and enough values.
     */
    default void foresight(Foresight.Estimate estimate) {}

    StudyListener NONE = new StudyListener() {};
}
