package dev.hone.store;

import java.util.List;

/**
 * What a run started from with {@code tune.warm_start}: how many earlier trials its sampler used as a prior, the
 * runs they come from (ascending ids), and how many earlier trials were dropped for not fitting its search space.
 */
public record WarmStartRow(int trials, List<Long> runs, int dropped) {

    public WarmStartRow {
        runs = List.copyOf(runs);
    }
}
