package dev.hone.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GridSamplerTest extends SamplerContract {

    @Override
    Sampler sampler(long seed) {
        return Samplers.grid(seed);
    }

    @Test
    void isCalledGrid() {
        assertThat(sampler(1).name()).isEqualTo("grid");
    }

    @Test
    void floatsBecomeFivePointsLogSpacedWithLog() {
        List<Object> linear = values(space(new FloatParam("x", 0, 1, false)), "x");
        List<Object> log = values(space(new FloatParam("C", 0.01, 100, true)), "C");

        assertThat(linear).containsExactlyInAnyOrder(0.0, 0.25, 0.5, 0.75, 1.0);
        assertThat(log).hasSize(5).allSatisfy(v -> assertThat(List.of(0.01, 0.1, 1.0, 10.0, 100.0))
                .anySatisfy(p -> assertThat((Double) v).isCloseTo(p, withPercentage(1e-9))));
    }

    @Test
    void smallIntRangesAreWhole() {
        assertThat(values(space(new IntParam("x", 1, 10, false)), "x"))
                .containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    }

    @Test
    void largeIntRangesBecomeTenPointsEvenlySpread() {
        assertThat(values(space(new IntParam("x", 0, 90, false)), "x"))
                .containsExactlyInAnyOrder(0L, 10L, 20L, 30L, 40L, 50L, 60L, 70L, 80L, 90L);
        assertThat(values(space(new IntParam("units", 1, 1000, true)), "units"))
                .containsExactlyInAnyOrder(1L, 2L, 5L, 10L, 22L, 46L, 100L, 215L, 464L, 1000L);
    }

    @Test
    void coversTheWholeProductInAShuffledOrderThenStops() {
        SearchSpace space = space(new IntParam("x", 1, 3, false), new CategoricalParam("k", List.of("a", "b", "c")));
        Sampler sampler = sampler(7);
        List<Map<String, Object>> visited = new ArrayList<>();
        List<Trial> history = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            List<Map<String, Object>> next = sampler.suggest(space, history, 2);
            if (next.isEmpty()) {
                break;
            }
            for (Map<String, Object> set : next) {
                visited.add(set);
                history.add(i % 2 == 0 ? Trial.running(history.size() + 1, set)
                        : finished(history.size() + 1, set, TrialState.FAILED, null));
            }
        }

        assertThat(visited).hasSize(9).doesNotHaveDuplicates();
        assertThat(visited).isNotEqualTo(declarationOrder(space));
        assertThat(visited.getFirst().keySet()).containsExactly("x", "k");
    }

    private List<Map<String, Object>> declarationOrder(SearchSpace space) {
        List<Map<String, Object>> all = new ArrayList<>();
        Grid grid = Grid.search(space.params());
        for (long i = 0; i < grid.size(); i++) {
            all.add(grid.point(i));
        }
        return all;
    }

    private List<Object> values(SearchSpace space, String name) {
        return sampler(1).suggest(space, List.of(), 100).stream().map(s -> s.get(name)).toList();
    }
}
