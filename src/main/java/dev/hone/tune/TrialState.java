package dev.hone.tune;

import java.util.Locale;

/**
 * A trial's state; the lower-case name is the summary's and the store's word for it. {@code STOPPED}: ended because
 * another trial reached the target (not a failure); {@code KILLED}: cancelled, or the study timed out.
 */
public enum TrialState {
    RUNNING, SUCCEEDED, FAILED, PRUNED, KILLED, TIMED_OUT, OOM_KILLED, STOPPED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean finished() {
        return this != RUNNING;
    }
}
