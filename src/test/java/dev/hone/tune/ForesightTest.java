package dev.hone.tune;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The chance of reaching the target in further trials, from the last trials' values, on seeded histories. */
class ForesightTest {

    /** {@code n} succeeded trials of 60 s each whose values are normal(mean, sd), seeded. */
    static List<Trial> history(int n, double mean, double sd, long seed) {
        Random random = new Random(seed);
        List<Trial> trials = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            trials.add(new Trial(i, Map.of(), TrialState.SUCCEEDED, mean + sd * random.nextGaussian(), List.of(),
                    0, 60_000, null, "", Map.of(), null));
        }
        return trials;
    }

    @Test
    void aTargetWithinTheSpreadOfRecentValuesIsLikelyWithinTwentyTrials() {
        Foresight.Estimate e = Foresight.estimate(history(20, 0.93, 0.01, 42), Direction.MAXIMIZE, 0.95, 20, 1)
                .orElseThrow();

        assertThat(e.probability()).isBetween(0.2, 0.9);
        assertThat(e.text()).matches("P\\(reach 0\\.95 in the next 20 trials\\) ≈ 0\\.\\d+, about \\d+ min");
    }

    @Test
    void theSameSeededHistorySaysTheSameThing() {
        String once = Foresight.estimate(history(12, 0.93, 0.01, 7), Direction.MAXIMIZE, 0.95, 20, 2).orElseThrow()
                .text();
        String again = Foresight.estimate(history(12, 0.93, 0.01, 7), Direction.MAXIMIZE, 0.95, 20, 2).orElseThrow()
                .text();

        assertThat(once).isEqualTo(again);
    }

    @Test
    void aTargetFarBeyondTheValuesIsNearlyHopelessAndTakesTheWholeBudget() {
        Foresight.Estimate e = Foresight.estimate(history(10, 0.80, 0.01, 1), Direction.MAXIMIZE, 0.95, 20, 1)
                .orElseThrow();

        assertThat(e.probability()).isLessThan(0.005);
        assertThat(e.expected()).isEqualTo(Duration.ofMinutes(20));
        assertThat(e.text()).isEqualTo("P(reach 0.95 in the next 20 trials) < 0.01, about 20 min");
    }

    @Test
    void aMinimizedMetricReachesItsTargetFromBelow() {
        Foresight.Estimate e = Foresight.estimate(history(10, 0.10, 0.01, 3), Direction.MINIMIZE, 0.2, 5, 1)
                .orElseThrow();

        assertThat(e.text()).isEqualTo("P(reach 0.2 in the next 5 trials) ≈ 1, about 1 min");
    }

    @Test
    void tooFewValuesOrNoTargetSayNothing() {
        assertThat(Foresight.estimate(history(2, 0.9, 0.01, 1), Direction.MAXIMIZE, 0.95, 20, 1)).isEmpty();
        assertThat(Foresight.estimate(history(10, 0.9, 0.01, 1), Direction.MAXIMIZE, null, 20, 1)).isEmpty();
    }
}
