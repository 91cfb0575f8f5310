package dev.hone.tune;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Grid search: the cartesian product of the parameters' points (see {@link Grid#search}), visited in an order
 * shuffled with the seed (as Optuna's GridSampler) so that early trials spread over the space. Points already in the
 * history, running or finished, are skipped; an empty list means the grid is done.
 */
final class GridSampler implements Sampler {

    private final long seed;

    GridSampler(long seed) {
        this.seed = seed;
    }

    @Override
    public String name() {
        return "grid";
    }

    @Override
    public List<Map<String, Object>> suggest(SearchSpace space, List<Trial> history, int n) {
        Grid grid = Grid.search(space.params());
        Set<Map<String, Object>> used = ParamSets.used(history);
        ParamSets.LazyShuffle order = new ParamSets.LazyShuffle(grid.size(), seed);
        List<Map<String, Object>> out = new ArrayList<>();
        while (out.size() < n && order.hasNext()) {
            Map<String, Object> point = grid.point(order.next());
            if (used.add(ParamSets.key(point))) {
                out.add(point);
            }
        }
        return out;
    }
}
