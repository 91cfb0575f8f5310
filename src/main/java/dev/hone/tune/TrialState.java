package dev.hone.tune;

import java.util.Locale;

/** A trial's state; the lower-case name is the summary's and the store's word for it. */
public enum TrialState {
    RUNNING, SUCCEEDED, FAILED, PRUNED, KILLED, TIMED_OUT, OOM_KILLED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean finished() {
        return this != RUNNING;
    }
}
