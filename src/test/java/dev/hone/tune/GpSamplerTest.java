package dev.hone.tune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.metrics.MetricPoint;
import dev.hone.tune.gp.GaussianProcess;
import dev.hone.tune.gp.HyperCache;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GpSamplerTest extends SamplerContract {

    @Override
    Sampler sampler(long seed) {
        return Samplers.bayes(seed);
    }

    static final SearchSpace BRANIN = new SearchSpace(List.of(new FloatParam("x", -5, 10, false),
            new FloatParam("y", 0, 15, false)), Direction.MINIMIZE, 0.45);

    static double branin(Map<String, Object> p) {
        double x = (Double) p.get("x");
        double y = (Double) p.get("y");
        double t = y - 5.1 / (4 * Math.PI * Math.PI) * x * x + 5 / Math.PI * x - 6;
        return t * t + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x) + 10;
    }

    @Test
    void isCalledBayes() {
        assertThat(sampler(1).name()).isEqualTo("bayes");
    }

    @Test
    void theFirstTrialsAreALatinHypercube() {
        SearchSpace space = new SearchSpace(List.of(new FloatParam("x", 0, 1, false)), Direction.MINIMIZE, null);
        List<Trial> history = new ArrayList<>();
        for (int t = 1; t <= 5; t++) {
            Map<String, Object> set = sampler(4).suggest(space, history, 1).getFirst();
            history.add(finished(t, set, TrialState.SUCCEEDED, 1.0));
        }

        List<Integer> strata = history.stream().map(t -> (int) ((Double) t.params().get("x") * 5)).sorted().toList();
        assertThat(strata).as("one point in each fifth of the range").containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void reachesTheBraninTargetWithinForty() {
        List<Trial> history = new ArrayList<>();
        Sampler sampler = sampler(0);
        int reached = 0;
        for (int t = 1; t <= 40 && reached == 0; t++) {
            Map<String, Object> set = sampler.suggest(BRANIN, history, 1).getFirst();
            double v = branin(set);
            history.add(finished(t, set, TrialState.SUCCEEDED, v));
            if (v <= 0.45) {
                reached = t;
            }
        }

        assertThat(reached).isBetween(1, 40);
    }

    @Test
    void aParallelBatchIsSpreadOut() {
        List<Trial> history = new ArrayList<>();
        for (Map<String, Object> set : Samplers.random(1).suggest(BRANIN, List.of(), 12)) {
            history.add(finished(history.size() + 1, set, TrialState.SUCCEEDED, branin(set)));
        }

        List<Map<String, Object>> batch = sampler(2).suggest(BRANIN, history, 4);

        assertThat(batch).hasSize(4);
        double closest = Double.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < i; j++) {
                double dx = ((Double) batch.get(i).get("x") - (Double) batch.get(j).get("x")) / 15;
                double dy = ((Double) batch.get(i).get("y") - (Double) batch.get(j).get("y")) / 15;
                closest = Math.min(closest, Math.hypot(dx, dy));
            }
        }
        assertThat(closest).as("smallest distance between two suggestions of the batch, in range units")
                .isGreaterThan(0.01);
    }

    @Test
    void aPrunedTrialCountsWithItsLastIntermediateValue() {
        List<Trial> history = new ArrayList<>();
        for (Map<String, Object> set : Samplers.random(1).suggest(BRANIN, List.of(), 10)) {
            history.add(finished(history.size() + 1, set, TrialState.SUCCEEDED, branin(set)));
        }
        history.add(new Trial(11, Map.of("x", 1.0, "y", 1.0), TrialState.PRUNED, null,
                List.of(new MetricPoint(1, 40.0), new MetricPoint(3, 30.0)), null, 0, "pruned", ""));

        List<Map<String, Object>> sets = sampler(3).suggest(BRANIN, history, 2);

        assertThat(sets).hasSize(2).doesNotContain(Map.of("x", 1.0, "y", 1.0));
    }

    @Test
    void aChoiceThatLookedBadOnOneTrialIsTriedAgainWithinFour() {
        SearchSpace space = new SearchSpace(List.of(new CategoricalParam("optimizer", List.of("sgd", "adam")),
                new FloatParam("lr", 0, 1, false)), Direction.MINIMIZE, 0.0);
        List<Trial> history = new ArrayList<>();
        history.add(finished(1, Map.of("optimizer", "adam", "lr", 0.95), TrialState.SUCCEEDED, 5.0));
        for (int t = 2; t <= 12; t++) { // sgd: a smooth bowl, never below 1
            double lr = (t - 2) / 10.0;
            history.add(finished(t, Map.of("optimizer", "sgd", "lr", lr), TrialState.SUCCEEDED,
                    1 + (lr - 0.5) * (lr - 0.5)));
        }

        List<Object> chosen = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Map<String, Object> set = sampler(7).suggest(space, history, 1).getFirst();
            chosen.add(set.get("optimizer"));
            history.add(finished(history.size() + 1, set, TrialState.SUCCEEDED, 1.0));
        }

        assertThat(chosen).as("the choices of the next four trials").contains("adam");
    }

    @Test
    void theSafeguardHoldsTheLeastTriedChoiceEveryFourthModelTrial() {
        UnitCube cube = new UnitCube(List.of(new CategoricalParam("c", List.of("p", "q", "r")),
                new FloatParam("x", 0, 1, false)));
        List<double[]> xs = new ArrayList<>();
        for (int i = 0; i < 16; i++) { // p 12 times, q 3 times, r once
            xs.add(cube.encode(Map.of("c", i < 12 ? "p" : i < 15 ? "q" : "r", "x", 0.5)));
        }

        assertThat(GpSampler.revisit(cube, xs, 3)).containsExactly(2, -1);
        assertThat(GpSampler.revisit(cube, xs, 4)).isNull();
        for (double x : new double[] {0.1, 0.2, 0.3}) {
            xs.add(cube.encode(Map.of("c", "r", "x", x)));
        }
        assertThat(GpSampler.revisit(cube, xs, 7)).as("q has 3 of 19, r 4").containsExactly(1, -1);
        xs.add(cube.encode(Map.of("c", "q", "x", 0.1)));
        xs.add(cube.encode(Map.of("c", "q", "x", 0.2)));
        assertThat(GpSampler.revisit(cube, xs, 7)).as("r has 4 of 21, fewer than ⌈√21⌉ = 5").containsExactly(2, -1);
        xs.add(cube.encode(Map.of("c", "r", "x", 0.4)));
        assertThat(GpSampler.revisit(cube, xs, 7)).as("every choice has ⌈√22⌉ = 5 trials").isNull();
    }

    /** {@code n} random Branin trials. */
    static List<Trial> braninTrials(int n) {
        List<Trial> history = new ArrayList<>();
        for (Map<String, Object> p : Samplers.random(11).suggest(BRANIN, List.of(), n)) {
            history.add(finished(history.size() + 1, p, TrialState.SUCCEEDED, branin(p)));
        }
        return history;
    }

    @Test
    void pastAHundredObservationsTheHyperparametersAreRefittedEveryTenth() {
        UnitCube cube = new UnitCube(BRANIN.params());
        List<Trial> history = braninTrials(110);
        double[][] x = history.stream().map(t -> cube.encode(t.params())).toArray(double[][]::new);
        List<Double> raw = history.stream().map(Trial::value).toList();
        HyperCache fits = new HyperCache();

        GaussianProcess.Hyper at100 = GpSampler.hyper(fits, Arrays.copyOf(x, 100), raw, new boolean[2]);
        GaussianProcess.Hyper at99 = GpSampler.hyper(fits, Arrays.copyOf(x, 99), raw, new boolean[2]);

        for (int n = 101; n < 110; n++) { // the fit of the first 100, not made again
            assertThat(GpSampler.hyper(fits, Arrays.copyOf(x, n), raw, new boolean[2])).isSameAs(at100);
        }
        assertThat(GpSampler.hyper(fits, x, raw, new boolean[2])).isNotSameAs(at100);
        assertThat(at99).isNotSameAs(at100); // up to 100, every observation refits
        double[] first100 = raw.subList(0, 100).stream().mapToDouble(Double::doubleValue).toArray();
        double mean = Arrays.stream(first100).average().orElseThrow();
        double sd = Math.sqrt(Arrays.stream(first100).map(v -> (v - mean) * (v - mean)).sum() / 99);
        GaussianProcess.Hyper fresh = GaussianProcess.fit(Arrays.copyOf(x, 100),
                Arrays.stream(first100).map(v -> (v - mean) / sd).toArray(), new boolean[2]);
        assertThat(at100.lengths()).containsExactly(fresh.lengths());
    }

    @Test
    void thePortfoliosCheckReusesTheFitsOfEarlierSuggestionsAndChangesNoSuggestion() {
        List<Trial> history = braninTrials(30);
        Portfolio asked = new Portfolio(5);
        List<Map<String, Object>> along = new ArrayList<>();
        for (int n = 12; n <= 30; n++) { // as a study asks: once per trial
            along.add(asked.suggest(BRANIN, history.subList(0, n), 1).getFirst());
        }
        for (int n = 12; n <= 30; n++) { // a fresh portfolio, asked once, suggests the same
            assertThat(new Portfolio(5).suggest(BRANIN, history.subList(0, n), 1).getFirst())
                    .isEqualTo(along.get(n - 12));
        }
        assertThat(new GpSampler(5).rankCorrelation(BRANIN, history, Portfolio.RECENT))
                .isEqualTo(GpSampler.recentRankCorrelation(BRANIN, history, Portfolio.RECENT));
    }
}
