package dev.hone.tune;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TpeSamplerTest extends SamplerContract {

    @Override
    Sampler sampler(long seed) {
        return Samplers.tpe(seed, false);
    }

    @Test
    void isCalledTpe() {
        assertThat(sampler(1).name()).isEqualTo("tpe");
    }

    /** Runs {@code trials} trials of a 1-D problem minimising (x − 3)² on [−10, 10]; returns the x values. */
    static List<Double> minimise(Sampler sampler, int trials) {
        SearchSpace space = new SearchSpace(List.of(new FloatParam("x", -10, 10, false)), Direction.MINIMIZE, null);
        List<Trial> history = new ArrayList<>();
        List<Double> xs = new ArrayList<>();
        for (int t = 1; t <= trials; t++) {
            Map<String, Object> set = sampler.suggest(space, history, 1).getFirst();
            double x = (Double) set.get("x");
            xs.add(x);
            history.add(finished(t, set, TrialState.SUCCEEDED, (x - 3) * (x - 3)));
        }
        return xs;
    }

    @Test
    void theFirstTenTrialsAreRandomThenSuggestionsGatherAtTheOptimum() {
        List<Double> xs = minimise(sampler(7), 60);

        List<Double> startup = xs.subList(0, 10).stream().map(x -> Math.abs(x - 3)).toList();
        List<Double> late = xs.subList(40, 60).stream().map(x -> Math.abs(x - 3)).toList();
        assertThat(median(late)).as("random search's median distance is 5").isLessThan(1.5)
                .isLessThan(median(startup) / 2);
    }

    @Test
    void aMaximisedCategoricalIsFound() {
        SearchSpace space = new SearchSpace(List.of(new CategoricalParam("k", List.of("a", "b", "c", "d", "e"))
                , new FloatParam("x", 0, 1, false)), Direction.MAXIMIZE, null);
        List<Trial> history = new ArrayList<>();
        int c = 0;
        for (int t = 1; t <= 50; t++) {
            Map<String, Object> set = sampler(3).suggest(space, history, 1).getFirst();
            if (t > 30 && set.get("k").equals("c")) {
                c++;
            }
            history.add(finished(t, set, TrialState.SUCCEEDED, set.get("k").equals("c") ? 1.0 : 0.0));
        }

        assertThat(c).as("of the last 20 trials, those with the best choice").isGreaterThanOrEqualTo(10);
    }

    @Test
    void runningTrialsAreLiedAboutSoABatchSpreadsOut() {
        SearchSpace space = new SearchSpace(List.of(new FloatParam("x", -10, 10, false)), Direction.MINIMIZE, null);
        List<Trial> history = new ArrayList<>();
        int n = 0;
        for (double x = -10; x <= 10; x += 1) {
            history.add(finished(++n, Map.of("x", x), TrialState.SUCCEEDED, (x - 3) * (x - 3)));
        }

        List<Map<String, Object>> batch = sampler(5).suggest(space, history, 4);

        assertThat(batch).hasSize(4).doesNotHaveDuplicates();
    }

    @Nested
    class Multivariate extends SamplerContract {

        @Override
        Sampler sampler(long seed) {
            return Samplers.tpe(seed, true);
        }

        @Test
        void isCalledTpeMultivariate() {
            assertThat(sampler(1).name()).isEqualTo("tpe-multivariate");
        }

        @Test
        void suggestionsGatherAtTheOptimum() {
            List<Double> xs = minimise(sampler(7), 60);

            assertThat(median(xs.subList(40, 60).stream().map(x -> Math.abs(x - 3)).toList()))
                    .as("random search's median distance is 5").isLessThan(2.0);
        }
    }
}
