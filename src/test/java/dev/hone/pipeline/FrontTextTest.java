package dev.hone.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.notify.Event;
import dev.hone.spec.Spec;
import dev.hone.tune.Direction;
import dev.hone.tune.Objective;
import dev.hone.tune.Trial;
import dev.hone.tune.TrialState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Pareto front in a line, as target_reached and target_missed notifications end with it. */
class FrontTextTest {

    private static final Spec.Metric TWO = new Spec.Metric("accuracy", Direction.MAXIMIZE, 0.95, List.of(), 0, null,
            List.of(new Objective("latency_ms", Direction.MINIMIZE)));

    private static Trial trial(int number, double accuracy, double latency) {
        return new Trial(number, Map.of(), TrialState.SUCCEEDED, accuracy, List.of(), 0, 1, null, "",
                Map.of("accuracy", accuracy, "latency_ms", latency));
    }

    @Test
    void namesTheFrontsTrialsAndTheirValues() {
        List<Trial> trials = List.of(trial(1, 0.84, 10), trial(2, 0.83, 60), trial(3, 0.96, 160));

        assertThat(Summaries.frontText(TWO, trials))
                .isEqualTo("Pareto front (accuracy, latency_ms): trial 1 (0.84, 10.0), trial 3 (0.96, 160.0)");
    }

    @Test
    void listsTenThenSaysHowManyMore() {
        List<Trial> trials = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            trials.add(trial(i, i / 100.0, i));
        }

        assertThat(Summaries.frontText(TWO, trials)).endsWith("trial 10 (0.1, 10.0) and 2 more");
    }

    @Test
    void oneMetricHasNoFrontLine() {
        assertThat(Summaries.frontText(new Spec.Metric("accuracy", Direction.MAXIMIZE, 0.9), List.of())).isNull();
    }

    @Test
    void theNotificationsBodyEndsWithIt() {
        Event.TargetMissed missed = new Event.TargetMissed(new Event.Origin("mo", null, null, null, null), "accuracy",
                Direction.MAXIMIZE, 0.96, 0.99, 3, "budget spent", null, "Pareto front (accuracy, latency_ms): trial 1"
                + " (0.84, 10)");

        assertThat(missed.body()).endsWith("Pareto front (accuracy, latency_ms): trial 1 (0.84, 10)\n");
    }
}
