package dev.hone.tune;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** A study's trials by number, running and finished; kept by the study's loop thread only. */
final class TrialBook {

    private final Goals goals;
    private final TreeMap<Integer, Trial> trials = new TreeMap<>();
    private final Set<Integer> running = new TreeSet<>();
    private int failures;
    /** Null without {@code metric.confirm}. */
    private Confirmations confirmations;

    TrialBook(Goals goals) {
        this.goals = goals;
    }

    /** Ranks confirmed trials by their confirmed value, and never a repeat, from now on. */
    void confirmingWith(Confirmations c) {
        this.confirmations = c;
    }

    /** A failed trial for max_failed_trials: it broke on its own (not pruned, not killed by the study). */
    static boolean isFailure(TrialState state) {
        return state == TrialState.FAILED || state == TrialState.TIMED_OUT || state == TrialState.OOM_KILLED;
    }

    void started(Trial trial) {
        trials.put(trial.number(), trial);
        running.add(trial.number());
    }

    void finished(Trial trial) {
        trials.put(trial.number(), trial);
        running.remove(trial.number());
        if (isFailure(trial.state())) {
            failures++;
        }
    }

    Set<Integer> running() {
        return running;
    }

    Trial get(int number) {
        return trials.get(number);
    }

    int failures() {
        return failures;
    }

    /** Every trial in number order, the running ones included (state RUNNING). */
    List<Trial> history() {
        return List.copyOf(trials.values());
    }

    /**
     * True when {@code trial} has a value (and every further objective's) and keeps every constraint: it may reach
     * the target and be the best.
     */
    boolean counts(Trial trial) {
        return goals.counts(trial);
    }

    /**
     * The best trial as {@link Goals#best} says; null when none counts. With confirmations, a repeat is never the
     * best, and a trial whose confirmation ended is ranked by, and carries as its value, its confirmed value.
     */
    Trial best() {
        List<Trial> candidates = new ArrayList<>();
        for (Trial t : trials.values()) {
            if (confirmations != null && confirmations.isRepeat(t.number())) {
                continue;
            }
            Double confirmed = confirmations == null ? null : confirmations.confirmedValues().get(t.number());
            candidates.add(confirmed == null ? t : new Trial(t.number(), t.params(), t.state(), confirmed,
                    t.intermediate(), t.exitCode(), t.durationMs(), t.error(), t.diff(), t.metrics(), t.resources()));
        }
        return goals.best(candidates);
    }
}
