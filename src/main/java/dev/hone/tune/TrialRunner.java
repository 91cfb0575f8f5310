package dev.hone.tune;

import java.util.Map;

/**
 * Runs one trial to its end (the pipeline's bridge to an executor). Called from the study's worker threads, up to
 * {@code parallel} at once. Never throws for a failing training: a failure is a {@link Trial} in a failed state.
 * When the study is cancelled the runner's processes are killed by the pipeline and it returns a KILLED trial.
 */
@FunctionalInterface
public interface TrialRunner {

    /**
     * @param diff the workspace edits (unified diff against the checkout) the trial runs with; "" for none
     */
    Trial run(int number, Map<String, Object> params, String diff);

    /**
     * Runs one trial with {@code HONE_SEED} = {@code seed} instead of the run's seed: a repeat that confirms a trial
     * ({@code metric.confirm}). By default: {@link #run(int, Map, String)}, for runners that give no seed.
     */
    default Trial run(int number, Map<String, Object> params, String diff, long seed) {
        return run(number, params, diff);
    }

    /** Kills the trials running now (study timeout); each of their run() calls then returns a KILLED trial. */
    default void cancelRunning() {}

    /**
     * Stops the trials running now because the study is over ({@code reason}: "target reached by trial 3"); each of
     * their run() calls then returns a STOPPED trial with the reason as its error. By default: {@link #cancelRunning}
     * (the study makes what comes back KILLED STOPPED).
     */
    default void stopRunning(String reason) {
        cancelRunning();
    }
}
