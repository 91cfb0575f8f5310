package dev.hone.pipeline;

import dev.hone.spec.Spec;
import dev.hone.tune.StudyListener;

/** Told when a run has read its spec and is about to train, then of every trial (the CLI's progress line). */
public interface RunListener extends StudyListener {

    default void runStarted(long runId, Spec spec) {}

    /** A line the training printed (stdout and stderr merged), as it arrives. Called from trial threads. */
    default void trialOutput(int trial, String line) {}

    /** Something of the trial's output Hone could not take as it is (a metric line it ignored), and why. */
    default void trialWarning(int trial, String warning) {}

    /** A trial waits before it starts for what it needs ("waiting for 2 GPUs"). Called from trial threads. */
    default void trialWaiting(int trial, String what) {}

    RunListener NONE = new RunListener() {};
}
