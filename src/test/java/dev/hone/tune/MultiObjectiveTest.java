package dev.hone.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Several objectives: the Pareto front, the best of it, and multi-objective TPE on known bi-objective problems. */
class MultiObjectiveTest {

    private static final List<Objective> LATENCY = List.of(new Objective("latency_ms", Direction.MINIMIZE));

    static Trial trial(int number, double value, Map<String, Double> metrics) {
        Map<String, Double> all = new LinkedHashMap<>(metrics);
        return new Trial(number, Map.of("x", (double) number), TrialState.SUCCEEDED, value, List.of(), 0, 1, null, "",
                all);
    }

    @Nested
    class ParetoNumerics {

        @Test
        void ranksPeelFrontsOneAfterAnother() {
            List<double[]> points = List.of(new double[] {1, 4}, new double[] {2, 2}, new double[] {4, 1},
                    new double[] {3, 3}, new double[] {4, 4}, new double[] {2, 2});

            assertThat(Pareto.ranks(points)).containsExactly(0, 0, 0, 1, 2, 0);
        }

        @Test
        void hypervolumeIsExactInTwoAndThreeDimensions() {
            List<double[]> two = List.of(new double[] {1, 3}, new double[] {2, 2}, new double[] {3, 1},
                    new double[] {5, 0});
            // reference (4, 4): 3×1 + 2×1 + 1×1, the last point lies outside the box
            assertThat(Pareto.hypervolume(two, new double[] {4, 4})).isCloseTo(6.0, within(1e-12));

            List<double[]> three = List.of(new double[] {0, 0, 1}, new double[] {1, 1, 0});
            // 2×2×1 + 1×1×2 − 1×1×1 (their overlap)
            assertThat(Pareto.hypervolume(three, new double[] {2, 2, 2})).isCloseTo(5.0, within(1e-12));
        }

        @Test
        void bestFirstOrdersAFrontByHypervolumeContribution() {
            // reference (9.9, 11): alone (5, 5) adds 4.9 × 6 = 29.4, the others 9.9; beside it (0, 10) adds
            // 5 × 1 = 5 and (9, 0) adds 0.9 × 5 = 4.5
            List<double[]> front = List.of(new double[] {0, 10}, new double[] {5, 5}, new double[] {9, 0});

            assertThat(Pareto.bestFirst(front, 25)).containsExactly(1, 0, 2);
        }
    }

    @Nested
    class FrontAndBest {

        private final Goals goals = new Goals(Direction.MAXIMIZE, 0.9, LATENCY, List.of());

        private final List<Trial> trials = List.of(
                trial(1, 0.80, Map.of("latency_ms", 10.0)),
                trial(2, 0.95, Map.of("latency_ms", 50.0)),
                trial(3, 0.92, Map.of("latency_ms", 20.0)),
                trial(4, 0.85, Map.of("latency_ms", 30.0)),
                trial(5, 0.99, Map.of()));

        @Test
        void theFrontIsTheNonDominatedCompleteTrials() {
            assertThat(goals.front(trials)).extracting(Trial::number).containsExactly(1, 2, 3);
        }

        @Test
        void aTrialMissingAFurtherObjectiveDoesNotCount() {
            assertThat(goals.counts(trials.get(4))).isFalse();
            assertThat(goals.values(trials.get(4))).isNull();
        }

        @Test
        void theBestIsTheFrontsBestOnTheSecondObjectiveAmongThoseReachingTheTarget() {
            assertThat(goals.best(trials).number()).isEqualTo(3);
        }

        @Test
        void withNoneReachingTheTargetTheBestIsTheBestOnTheFirst() {
            Goals far = new Goals(Direction.MAXIMIZE, 0.999, LATENCY, List.of());

            assertThat(far.best(trials).number()).isEqualTo(2);
        }

        @Test
        void tiesOnTheFirstAreBrokenByTheSecond() {
            Goals none = new Goals(Direction.MAXIMIZE, null, LATENCY, List.of());
            List<Trial> tied = List.of(trial(1, 0.9, Map.of("latency_ms", 40.0)),
                    trial(2, 0.9, Map.of("latency_ms", 30.0)));

            assertThat(none.best(tied).number()).isEqualTo(2);
        }

        @Test
        void oneMetricKeepsTheBestValueEarlierOnATie() {
            Goals one = new Goals(Direction.MAXIMIZE, 0.9, List.of(), List.of());
            List<Trial> tied = List.of(trial(1, 0.7, Map.of()), trial(2, 0.95, Map.of()), trial(3, 0.95, Map.of()));

            assertThat(one.best(tied).number()).isEqualTo(2);
        }
    }

    @Nested
    class Sampling {

        @Test
        void autoPicksMultiObjectiveTpeAndBayesRefusesSeveralObjectives() {
            SearchSpace space = zdt1Space(3);

            assertThat(Samplers.forStrategy(Strategy.AUTO, space, 50, 1).name()).isEqualTo("tpe-multivariate");
            assertThatThrownBy(() -> Samplers.forStrategy(Strategy.BAYES, space, 50, 1))
                    .hasMessage("strategy bayes models one metric: with several objectives use auto or tpe"
                            + " (multi-objective TPE), random or grid");
        }

        @Test
        void onZdt1MultiObjectiveTpesFrontHasHalfAgainRandomsHypervolumeAndOverHalfTheTrueFronts() {
            int budget = 80;
            double optimum = 1.1 * 1.1 - 1.0 / 3; // the true front f2 = 1 − √f1, reference point (1.1, 1.1)
            double[] tpe = IntStream.range(0, 5).mapToDouble(seed -> zdt1(Samplers.tpe(seed, true), budget)).toArray();
            double[] random = IntStream.range(0, 5).mapToDouble(seed -> zdt1(Samplers.random(seed), budget)).toArray();

            double tpeMean = mean(tpe);
            double randomMean = mean(random);
            assertThat(tpeMean).as("MOTPE %s vs random %s of %s", java.util.Arrays.toString(tpe), java.util.Arrays.toString(random), optimum)
                    .isGreaterThan(randomMean * 1.5).isGreaterThan(0.55 * optimum);
        }

        @Test
        void onSchafferTheFrontCoversTheTrueOneBetweenZeroAndTwo() {
            SearchSpace space = new SearchSpace(List.of(new FloatParam("x", -10, 10, false)), Direction.MINIMIZE,
                    null, List.of(new Objective("f2", Direction.MINIMIZE)));
            List<Trial> history = run(Samplers.tpe(3, true), space, 60, x -> {
                double v = x[0];
                return new double[] {v * v, (v - 2) * (v - 2)};
            });
            Goals goals = Goals.of(space, List.of());
            List<Trial> front = goals.front(history);

            assertThat(front).hasSizeGreaterThan(10);
            assertThat(front).allSatisfy(t -> assertThat((Double) t.params().get("x")).isBetween(0.0, 2.0));
        }

        private static SearchSpace zdt1Space(int n) {
            List<Param> params = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                params.add(new FloatParam("x" + i, 0, 1, false));
            }
            return new SearchSpace(params, Direction.MINIMIZE, null, List.of(new Objective("f2", Direction.MINIMIZE)));
        }

        /** The hypervolume (reference (1.1, 1.1)) of the front {@code sampler} finds on 3-variable ZDT1. */
        private static double zdt1(Sampler sampler, int budget) {
            SearchSpace space = zdt1Space(3);
            List<Trial> history = run(sampler, space, budget, x -> {
                double g = 1 + 9 * (x[1] + x[2]) / 2;
                return new double[] {x[0], g * (1 - Math.sqrt(x[0] / g))};
            });
            List<double[]> points = Goals.of(space, List.of()).front(history).stream()
                    .map(t -> new double[] {t.value(), t.metrics().get("f2")}).toList();
            return Pareto.hypervolume(points, new double[] {1.1, 1.1});
        }

        private static List<Trial> run(Sampler sampler, SearchSpace space, int budget,
                                       java.util.function.Function<double[], double[]> f) {
            List<Trial> history = new ArrayList<>();
            for (int t = 1; t <= budget; t++) {
                Map<String, Object> set = sampler.suggest(space, history, 1).getFirst();
                double[] x = space.params().stream().mapToDouble(p -> (Double) set.get(p.name())).toArray();
                double[] y = f.apply(x);
                history.add(new Trial(t, set, TrialState.SUCCEEDED, y[0], List.of(), 0, 1, null, "",
                        Map.of("f2", y[1])));
            }
            return history;
        }

        private static double mean(double[] xs) {
            double s = 0;
            for (double x : xs) {
                s += x;
            }
            return s / xs.length;
        }
    }
}
