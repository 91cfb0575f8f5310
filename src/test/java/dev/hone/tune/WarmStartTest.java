package dev.hone.tune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.tune.gp.GaussianProcess;
import dev.hone.tune.tpe.Axis;
import dev.hone.tune.tpe.Parzen;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WarmStartTest {

    private static final SearchSpace SPACE = new SearchSpace(List.of(new FloatParam("lr", 0.001, 1, true),
            new IntParam("depth", 1, 8, false), new CategoricalParam("opt", List.of("sgd", "adam"))),
            Direction.MAXIMIZE, 0.9);

    private static WarmStart.Earlier earlier(long run, int number, Map<String, Object> params, Double value) {
        TrialState state = value == null ? TrialState.FAILED : TrialState.SUCCEEDED;
        return new WarmStart.Earlier(run, new Trial(number, params, state, value, List.of(), 0, 10, null, ""));
    }

    @Test
    void keepsTheTrialsThatFitAndDropsTheRestCountingThem() {
        List<WarmStart.Earlier> earlier = List.of(
                earlier(12, 1, Map.of("lr", 0.01, "depth", 3L, "opt", "adam"), 0.80),
                earlier(12, 2, Map.of("lr", 0.1, "depth", 4L, "opt", "sgd", "momentum", 0.9), 0.85), // removed param
                earlier(12, 3, Map.of("lr", 0.1, "opt", "sgd"), 0.70),                         // added param
                earlier(11, 1, Map.of("lr", 2.0, "depth", 3L, "opt", "adam"), 0.60),          // out of the range
                earlier(11, 2, Map.of("lr", 0.02, "depth", 9L, "opt", "adam"), 0.75),         // out of the range
                earlier(11, 3, Map.of("lr", 0.02, "depth", 2.5, "opt", "adam"), 0.75),        // int became float
                earlier(11, 4, Map.of("lr", 0.02, "depth", 2L, "opt", "rmsprop"), 0.88),     // choice removed
                earlier(11, 5, Map.of("lr", 0.02, "depth", 2L, "opt", "sgd"), null),          // no value: ignored
                earlier(10, 7, Map.of("lr", 1L, "depth", 5L, "opt", "sgd"), 0.50));           // whole number: kept

        Prior prior = WarmStart.prior(SPACE, earlier);

        assertThat(prior.trials()).hasSize(2);
        assertThat(prior.dropped()).isEqualTo(6);
        assertThat(prior.runs()).containsExactly(10L, 12L);
        assertThat(prior.trials()).extracting(Trial::number).containsExactly(-2, -1);
        assertThat(prior.trials().getFirst().params()).containsEntry("lr", 1.0).containsEntry("depth", 5L);
        assertThat(prior.trials().getFirst().params().get("lr")).isInstanceOf(Double.class);
    }

    @Test
    void runsAgainTheBestThreeDistinctParameterSetsBestFirst() {
        List<WarmStart.Earlier> earlier = List.of(
                earlier(2, 1, Map.of("lr", 0.01, "depth", 3L, "opt", "adam"), 0.80),
                earlier(2, 2, Map.of("lr", 0.02, "depth", 3L, "opt", "adam"), 0.86),
                earlier(1, 1, Map.of("lr", 0.02, "depth", 3L, "opt", "adam"), 0.84),
                earlier(1, 2, Map.of("lr", 0.5, "depth", 1L, "opt", "sgd"), 0.30),
                earlier(1, 3, Map.of("lr", 0.05, "depth", 6L, "opt", "sgd"), 0.83));

        Prior prior = WarmStart.prior(SPACE, earlier);

        assertThat(prior.reevaluate()).extracting(p -> p.get("lr")).containsExactly(0.02, 0.05, 0.01);
    }

    @Test
    void theBestEarlierSetsComeFirstThenTheSampler() {
        SearchSpace space = new SearchSpace(List.of(new FloatParam("x", 0, 1, false)), Direction.MINIMIZE, null);
        List<WarmStart.Earlier> earlier = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            double x = i / 8.0;
            earlier.add(earlier(5, i + 1, Map.of("x", x), (x - 0.3) * (x - 0.3)));
        }
        Prior prior = WarmStart.prior(space, earlier);
        Sampler sampler = WarmStart.sampler(Samplers.tpe(1, true), prior);

        List<Map<String, Object>> first = sampler.suggest(space, List.of(), 2);
        assertThat(first).extracting(p -> p.get("x")).containsExactly(0.25, 0.375);
        List<Trial> history = List.of(SamplerContract.finished(1, first.get(0), TrialState.SUCCEEDED, 0.1),
                SamplerContract.finished(2, first.get(1), TrialState.FAILED, null));
        List<Map<String, Object>> next = sampler.suggest(space, history, 2);
        assertThat(next.getFirst()).containsEntry("x", 0.125);
        assertThat(next.get(1).get("x")).isNotIn(0.25, 0.375, 0.125);
    }

    @Test
    void withNothingToStartFromTheSamplerIsUnchanged() {
        Sampler inner = Samplers.random(3);
        assertThat(WarmStart.sampler(inner, Prior.NONE)).isSameAs(inner);
        assertThat(WarmStart.prior(SPACE, List.of())).isEqualTo(Prior.NONE);
    }

    @Test
    void anEarlierTrialWeighsLessInTheParzenEstimator() {
        Axis[] axes = {Axis.numeric(0, 1)};
        List<double[]> points = List.of(new double[] {0.2}, new double[] {0.8});
        Parzen even = new Parzen(axes, points, true);
        Parzen prior = new Parzen(axes, points, true, new double[] {WarmStart.TPE_WEIGHT, 1});

        assertThat(even.logPdfJoint(new double[] {0.2})).isCloseTo(even.logPdfJoint(new double[] {0.8}),
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(prior.logPdfJoint(new double[] {0.2})).isLessThan(prior.logPdfJoint(new double[] {0.8}) - 0.02);
    }

    @Test
    void anEarlierTrialIsNoisierThanThisRunsOwnInTheGaussianProcess() {
        double[][] x = {{0.5}, {0.5}};
        double[] y = {-1, 1}; // an earlier trial, then this run's own, at the same point
        GaussianProcess.Hyper hyper = new GaussianProcess.Hyper(new double[] {0.3}, new boolean[] {false}, 1, 1e-4);

        double even = GaussianProcess.withHyper(x, y, hyper).mean(new double[] {0.5});
        double warm = GaussianProcess.withHyper(x, y, hyper, new double[] {WarmStart.GP_NOISE, 0})
                .mean(new double[] {0.5});

        assertThat(even).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(warm).isGreaterThan(0.8);
    }

    @Test
    void theGaussianProcessStartsFromThePriorInsteadOfItsInitialDesign() {
        SearchSpace space = new SearchSpace(List.of(new FloatParam("x", 0, 1, false),
                new FloatParam("y", 0, 1, false)), Direction.MINIMIZE, null);
        List<Trial> earlier = new ArrayList<>();
        int n = 0;
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                double a = i / 4.0;
                double b = j / 4.0;
                earlier.add(SamplerContract.finished(--n, Map.of("x", a, "y", b), TrialState.SUCCEEDED,
                        (a - 0.6) * (a - 0.6) + (b - 0.4) * (b - 0.4)));
            }
        }

        Map<String, Object> cold = Samplers.bayes(7).suggest(space, List.of(), 1).getFirst();
        Map<String, Object> warm = Samplers.bayes(7).warmedBy(earlier).suggest(space, List.of(), 1).getFirst();

        assertThat(Math.hypot((Double) warm.get("x") - 0.6, (Double) warm.get("y") - 0.4)).isLessThan(0.15);
        assertThat(warm).isNotEqualTo(cold);
    }
}
