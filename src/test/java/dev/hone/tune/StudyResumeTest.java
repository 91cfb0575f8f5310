package dev.hone.tune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.testing.FakeClock;
import dev.hone.tune.StudyResult.Ending;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A study continued from its recorded trials after Hone stopped: trials 1..N, each run exactly once. */
class StudyResumeTest {

    static final SearchSpace GRID = new SearchSpace(List.of(new CategoricalParam("x",
            List.of(0.1, 0.2, 0.3, 0.4))), Direction.MAXIMIZE, 0.99);

    final List<Integer> ran = new CopyOnWriteArrayList<>();
    final List<Map<String, Object>> ranWith = new CopyOnWriteArrayList<>();
    final TrialRunner runner = (number, params, diff) -> {
        ran.add(number);
        ranWith.add(params);
        return new Trial(number, params, TrialState.SUCCEEDED, ((Number) params.get("x")).doubleValue(), List.of(),
                0, 10, null, diff);
    };

    Study study(int parallel) {
        return new Study(new StudyConfig(GRID, 4, 3, parallel, null),
                Samplers.forStrategy(Strategy.GRID, GRID, 4, 1), null, runner, StudyListener.NONE,
                new FakeClock());
    }

    @Test
    void finishedTrialsAreKeptTheInterruptedOneRunsAgainUnderItsNumberAndNumberingGoesOn() {
        Trial one = Trial.succeeded(1, Map.of("x", 0.1), 0.1, List.of(), 10);
        Trial two = Trial.running(2, Map.of("x", 0.3));

        StudyResult result = study(1).resumeFrom(List.of(two, one)).run();

        assertThat(result.ending()).isEqualTo(Ending.BUDGET_SPENT);
        assertThat(ran).containsExactly(2, 3, 4);
        assertThat(ranWith.getFirst()).isEqualTo(Map.of("x", 0.3));
        assertThat(result.trials()).extracting(Trial::number).containsExactly(1, 2, 3, 4);
        assertThat(result.trials()).extracting(t -> t.params().get("x")).doesNotHaveDuplicates();
        assertThat(result.trials().getFirst()).isSameAs(one);
    }

    @Test
    void aStudyThatHadReachedItsTargetEndsAtOnceAndItsLeftoverTrialIsRecordedNotRun() {
        Trial one = Trial.succeeded(1, Map.of("x", 0.999), 0.999, List.of(), 10);
        Trial two = Trial.running(2, Map.of("x", 0.2));

        StudyResult result = study(2).resumeFrom(List.of(one, two)).run();

        assertThat(result.ending()).isEqualTo(Ending.TARGET_REACHED);
        assertThat(ran).isEmpty();
        assertThat(result.trials().get(1).state()).isEqualTo(TrialState.KILLED);
        assertThat(result.trials().get(1).error()).isEqualTo("not run again: the study had ended before Hone stopped");
    }
}
