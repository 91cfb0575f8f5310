package dev.hone.tune;

import java.util.List;
import java.util.Map;

/**
 * What a run starts from with {@code tune.warm_start} ({@link WarmStart#prior}): the earlier runs' trials that fit
 * this run's search space.
 *
 * @param trials     the trials kept, oldest first, renumbered −n…−1 so they sort before this run's own; their
 *                   parameters projected onto this space (a whole-number value of a now-float parameter as a float)
 * @param runs       the ids of the runs they come from, ascending
 * @param dropped    the earlier trials with a value that did not fit the space (a parameter added, removed or out of
 *                   its new range or choices), and those past {@link WarmStart#MAX_TRIALS}
 * @param reevaluate the best distinct parameter sets among {@code trials}, best first, at most
 *                   {@value WarmStart#REEVALUATE}: this run's first trials
 */
public record Prior(List<Trial> trials, List<Long> runs, int dropped, List<Map<String, Object>> reevaluate) {

    /** Nothing to start from. */
    public static final Prior NONE = new Prior(List.of(), List.of(), 0, List.of());

    public Prior {
        trials = List.copyOf(trials);
        runs = List.copyOf(runs);
        reevaluate = List.copyOf(reevaluate);
    }

    public boolean isEmpty() {
        return trials.isEmpty();
    }
}
