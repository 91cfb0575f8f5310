package dev.hone.tune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.metrics.MetricPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PrunersTest {

    /** A trial that reported {@code values} at steps 1, 2, 3… and succeeded with the last. */
    static Trial completed(Pruner pruner, int number, double... values) {
        List<MetricPoint> curve = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            pruner.report(number, i + 1, values[i]);
            curve.add(new MetricPoint(i + 1, values[i]));
        }
        Trial t = Trial.succeeded(number, Map.of(), values[values.length - 1], curve, 1);
        pruner.finished(t);
        return t;
    }

    @Nested
    class MedianRule {

        @Test
        void stopsATrialWorseThanTheMedianOfCompletedTrialsAtTheSameStep() {
            Pruner p = Pruners.median(2, Direction.MAXIMIZE);
            for (int n = 1; n <= 5; n++) {
                completed(p, n, 0.5, 0.6 + n / 100.0, 0.7);
            }

            assertThat(p.report(6, 1, 0.1)).as("before min_steps").isFalse();
            assertThat(p.report(6, 2, 0.2)).as("worse than the median 0.63").isTrue();
            assertThat(p.report(7, 2, 0.65)).isFalse();
        }

        @Test
        void waitsForFiveCompletedTrials() {
            Pruner p = Pruners.median(1, Direction.MINIMIZE);
            for (int n = 1; n <= 4; n++) {
                completed(p, n, 1.0, 0.5);
            }

            assertThat(p.report(5, 2, 9.0)).isFalse();
            completed(p, 6, 1.0, 0.5);
            assertThat(p.report(5, 2, 9.0)).isTrue();
        }

        @Test
        void comparesTheTrialsBestValueSoFar() {
            Pruner p = Pruners.median(1, Direction.MINIMIZE);
            for (int n = 1; n <= 5; n++) {
                completed(p, n, 1.0, 0.8, 0.6);
            }

            assertThat(p.report(6, 1, 0.5)).isFalse();
            assertThat(p.report(6, 2, 0.9)).as("its best so far, 0.5, beats the median 0.8").isFalse();
        }

        @Test
        void prunedTrialsAreNotComparedWith() {
            Pruner p = Pruners.median(1, Direction.MINIMIZE);
            for (int n = 1; n <= 5; n++) {
                p.report(n, 1, 100.0);
                p.finished(new Trial(n, Map.of(), TrialState.PRUNED, null, List.of(new MetricPoint(1, 100)), null, 1,
                        null, ""));
            }

            assertThat(p.report(6, 1, 1000.0)).isFalse();
        }
    }

    @Nested
    class Asha {

        @Test
        void theFirstTrialGoesOnAndLaterOnesOnlyWhenInTheBestThird() {
            Pruner p = Pruners.asha(1, 3, Direction.MINIMIZE);

            assertThat(p.report(1, 1, 5.0)).as("alone at rung 0: the best").isFalse();
            assertThat(p.report(2, 1, 6.0)).as("second of two at rung 0").isTrue();
            assertThat(p.report(3, 1, 4.0)).as("best of three").isFalse();
            assertThat(p.report(4, 1, 4.5)).as("second of four: the best 4/3 = 1 only").isTrue();
            for (int n = 5; n <= 9; n++) {
                p.report(n, 1, 10.0);
            }
            assertThat(p.report(10, 1, 4.9)).as("third of ten: the best 10/3 = 3").isFalse();
        }

        @Test
        void rungsAreAtMinStepsTimesPowersOfEta() {
            Pruner p = Pruners.asha(2, 3, Direction.MAXIMIZE);

            assertThat(p.report(1, 1, 0.1)).as("before the first rung").isFalse();
            assertThat(p.report(1, 2, 0.2)).isFalse();
            assertThat(p.report(2, 2, 0.1)).as("rung 0 at step 2: worse").isTrue();
            assertThat(p.report(1, 5, 0.5)).as("no rung between 2 and 6").isFalse();
            assertThat(p.report(1, 6, 0.6)).as("rung 1 at step 6: alone").isFalse();
            assertThat(p.report(3, 2, 0.3)).isFalse();
            assertThat(p.report(3, 6, 0.4)).as("rung 1: worse than 0.6").isTrue();
        }

        @Test
        void aReportPastSeveralRungsIsJudgedAtEach() {
            Pruner p = Pruners.asha(1, 3, Direction.MINIMIZE);
            p.report(1, 1, 1.0);
            p.report(1, 3, 1.0);
            p.report(1, 9, 1.0);

            assertThat(p.report(2, 9, 0.5)).as("best at rungs 0, 1 and 2").isFalse();
            assertThat(p.report(3, 27, 2.0)).as("worse at rung 0 already").isTrue();
        }

        @Test
        void aDivergedCurveIsStopped() {
            Pruner p = Pruners.asha(1, 3, Direction.MINIMIZE);

            assertThat(p.report(1, 1, Double.NaN)).isTrue();
        }
    }

    @Test
    void theRulePicksThePruner() {
        assertThat(Pruners.forRule(null, Direction.MAXIMIZE).name()).isEqualTo("none");
        assertThat(Pruners.forRule(new EarlyStopping(EarlyStopping.Rule.MEDIAN, 3), Direction.MAXIMIZE).name())
                .isEqualTo("median");
        assertThat(Pruners.forRule(new EarlyStopping(EarlyStopping.Rule.ASHA, 0), Direction.MAXIMIZE).name())
                .isEqualTo("asha");
        assertThat(Pruners.none().report(1, 100, -1e9)).isFalse();
    }

    @Test
    void stepsSavedCountsWhatPrunedTrialsDidNotRun() {
        Pruner none = Pruners.none();
        Trial full = completed(none, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        Trial pruned = new Trial(2, Map.of(), TrialState.PRUNED, null,
                List.of(new MetricPoint(1, 1), new MetricPoint(3, 1)), null, 1, "pruned", "");
        Trial failed = new Trial(3, Map.of(), TrialState.FAILED, null, List.of(), 1, 1, "boom", "");

        assertThat(Pruners.stepsSaved(List.of(full, pruned, failed))).isEqualTo(6);
    }
}
