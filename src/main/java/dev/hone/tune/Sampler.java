package dev.hone.tune;

import java.util.List;
import java.util.Map;

/**
 * Chooses the next parameter sets: a function of the search space and the trial history (as Katib's
 * {@code GetSuggestions(experiment, trials, n)}). The study loop, not the sampler, owns budgets and the target.
 * A sampler is deterministic for a given seed and history. {@code history} holds finished trials and, with
 * parallel trials, running ones (state RUNNING, no value).
 */
public interface Sampler {

    /** Short name shown to the user and recorded: "grid", "random". */
    String name();

    /**
     * Returns up to {@code n} parameter sets, distinct from each other and from the history where the space
     * allows it. An empty list means the space is exhausted (a finished grid).
     */
    List<Map<String, Object>> suggest(SearchSpace space, List<Trial> history, int n);

    /**
     * This sampler with earlier runs' trials as a prior ({@link WarmStart}), weighted below the history's own;
     * {@code prior} numbered below 1, oldest first. A sampler that takes no prior (grid, random) returns itself.
     */
    default Sampler warmedBy(List<Trial> prior) {
        return this;
    }
}
