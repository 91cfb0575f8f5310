package dev.hone.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RandomSamplerTest extends SamplerContract {

    @Override
    Sampler sampler(long seed) {
        return Samplers.random(seed);
    }

    @Test
    void isCalledRandom() {
        assertThat(sampler(1).name()).isEqualTo("random");
    }

    @Test
    void intsReachBothEnds() {
        Set<Object> seen = new HashSet<>();
        for (Map<String, Object> set : sampler(2).suggest(space(new IntParam("x", 3, 6, false)), List.of(), 4)) {
            seen.add(set.get("x"));
        }

        assertThat(seen).containsExactlyInAnyOrder(3L, 4L, 5L, 6L);
    }

    @Test
    void uniformFloatsHaveTheirMedianInTheMiddle() {
        List<Double> values = sampler(3).suggest(space(new FloatParam("x", 0, 100, false)), List.of(), 1000)
                .stream().map(s -> (Double) s.get("x")).toList();

        assertThat(median(values)).isBetween(45.0, 55.0);
    }

    @Test
    void aGrowingHistoryGivesNewSuggestions() {
        SearchSpace space = space(new FloatParam("x", 0, 1, false));
        Sampler sampler = sampler(5);
        Map<String, Object> first = sampler.suggest(space, List.of(), 1).getFirst();

        Map<String, Object> second = sampler.suggest(space, List.of(finished(1, first, TrialState.SUCCEEDED, 1.0)), 1)
                .getFirst();

        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void theLastPointOfADiscreteSpaceIsFound() {
        SearchSpace space = space(new IntParam("x", 1, 50, false));
        List<Trial> history = new ArrayList<>();
        for (long x = 1; x <= 50; x++) {
            if (x != 37) {
                history.add(finished(history.size() + 1, Map.of("x", x), TrialState.SUCCEEDED, 0.5));
            }
        }

        assertThat(sampler(8).suggest(space, history, 3)).containsExactly(Map.of("x", 37L));
    }

    @Test
    void logScaleNeedsAPositiveMin() {
        SearchSpace space = space(new FloatParam("C", 0, 10, true));

        assertThatThrownBy(() -> sampler(1).suggest(space, List.of(), 1))
                .isInstanceOf(SearchSpaceException.class)
                .hasMessage("tune.params.C: log: true needs min > 0 (got 0.0); raise min or drop log");
    }
}
