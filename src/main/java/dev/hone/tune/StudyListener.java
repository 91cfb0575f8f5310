package dev.hone.tune;

/** Told of the study's progress (live progress line, store writes). Called from worker threads. */
public interface StudyListener {

    default void trialStarted(Trial trial) {}

    /** {@code best}: the best trial so far (including this one), or null when none has a value. */
    default void trialFinished(Trial trial, Trial best) {}

    StudyListener NONE = new StudyListener() {};
}
