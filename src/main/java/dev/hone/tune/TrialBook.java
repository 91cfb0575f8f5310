package dev.hone.tune;

import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** A study's trials by number, running and finished; kept by the study's loop thread only. */
final class TrialBook {

    private final Direction direction;
    private final TreeMap<Integer, Trial> trials = new TreeMap<>();
    private final Set<Integer> running = new TreeSet<>();
    private int failures;

    TrialBook(Direction direction) {
        this.direction = direction;
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

    /** The best trial with a value; on a tie the earlier. Null when none has a value. */
    Trial best() {
        Trial best = null;
        for (Trial t : trials.values()) {
            if (t.hasValue() && (best == null || direction.better(t.value(), best.value()))) {
                best = t;
            }
        }
        return best;
    }
}
