package dev.hone.tune.importance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hone.tune.Direction;
import dev.hone.tune.importance.ParamImportance.Importance;
import dev.hone.tune.importance.ParamImportance.Observation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ParamImportanceTest {

    /** f = 10·x1 + 1·x2 + 0·x3 over uniform samples, and a category that changes nothing. */
    static List<Observation> linear(int n, long seed, double sign) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Observation> trials = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double x1 = random.nextDouble();
            double x2 = random.nextDouble();
            double x3 = random.nextDouble();
            String kind = random.nextBoolean() ? "a" : "b";
            trials.add(new Observation(Map.of("x1", x1, "x2", x2, "x3", x3, "kind", kind),
                    sign * (10 * x1 + x2 + 0 * x3)));
        }
        return trials;
    }

    @Test
    void aParameterThatDrivesTheValueOutranksOneThatNudgesItAndOnesThatDoNothingScoreNearZero() {
        List<Importance> importances = ParamImportance.pedAnova(linear(1000, 7, 1), Direction.MAXIMIZE);

        assertThat(importances).extracting(Importance::param).startsWith("x1", "x2");
        Map<String, Double> share = Map.of(importances.get(0).param(), importances.get(0).importance(),
                importances.get(1).param(), importances.get(1).importance(),
                importances.get(2).param(), importances.get(2).importance(),
                importances.get(3).param(), importances.get(3).importance());
        assertThat(share.get("x1")).isGreaterThan(0.8);
        assertThat(share.get("x2")).isGreaterThan(3 * share.get("x3")).isGreaterThan(3 * share.get("kind"));
        assertThat(share.get("x3")).isLessThan(0.03);
        assertThat(share.get("kind")).isLessThan(0.03);
        assertThat(importances.stream().mapToDouble(Importance::importance).sum()).isCloseTo(1, within(1e-9));
    }

    @Test
    void whenMinimizingTheBestTrialsAreTheLowestOnes() {
        List<Importance> max = ParamImportance.pedAnova(linear(500, 3, 1), Direction.MAXIMIZE);
        List<Importance> min = ParamImportance.pedAnova(linear(500, 3, -1), Direction.MINIMIZE);

        assertThat(min).extracting(Importance::param).startsWith("x1", "x2");
        assertThat(min.get(0).importance()).isCloseTo(max.get(0).importance(), within(1e-9));
    }

    @Test
    void aCategoryTheBestTrialsAllShareIsImportant() {
        SplittableRandom random = new SplittableRandom(11);
        List<Observation> trials = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String optimizer = List.of("adam", "sgd", "rmsprop").get(random.nextInt(3));
            double noise = random.nextDouble();
            trials.add(new Observation(Map.of("optimizer", optimizer, "seed", noise),
                    (optimizer.equals("adam") ? 1 : 0) + 0.01 * random.nextDouble()));
        }

        List<Importance> importances = ParamImportance.pedAnova(trials, Direction.MAXIMIZE);

        assertThat(importances).extracting(Importance::param).containsExactly("optimizer", "seed");
        assertThat(importances.get(0).importance()).isGreaterThan(0.9);
    }

    @Test
    void tooFewTrialsOrUnfinishedValuesGiveNoAnswer() {
        assertThat(ParamImportance.pedAnova(linear(9, 1, 1), Direction.MAXIMIZE)).isEmpty();
        List<Observation> nine = new ArrayList<>(linear(9, 1, 1));
        nine.add(new Observation(Map.of("x1", 0.5), Double.NaN));
        assertThat(ParamImportance.pedAnova(nine, Direction.MAXIMIZE)).isEmpty();
    }

    @Test
    void aParameterWithOneValueEverywhereScoresZero() {
        List<Observation> trials = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            trials.add(new Observation(Map.of("fixed", 3, "x", i), i));
        }

        assertThat(ParamImportance.pedAnova(trials, Direction.MAXIMIZE))
                .containsExactly(new Importance("x", 1, ParamImportance.pedAnova(trials, Direction.MAXIMIZE)
                        .get(0).divergence()), new Importance("fixed", 0, 0));
    }
}
