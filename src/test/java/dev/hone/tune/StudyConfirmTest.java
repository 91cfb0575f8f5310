package dev.hone.tune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.testing.FakeClock;
import dev.hone.tune.StudyResult.Ending;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code metric.confirm} in the study: a lucky value is repeated with new seeds before the study believes it. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class StudyConfirmTest {

    final FakeClock clock = new FakeClock();
    final SearchSpace space = new SearchSpace(List.of(new FloatParam("x", 0, 1, false)), Direction.MAXIMIZE, 0.95);
    final List<Long> seeds = new CopyOnWriteArrayList<>();

    /** Trial 2 is lucky with the run's seed (0.96) but 0.93 with others; trial 5 is good with every seed. */
    TrialRunner runner() {
        return new TrialRunner() {
            @Override
            public Trial run(int number, Map<String, Object> params, String diff) {
                return run(number, params, diff, 42);
            }

            @Override
            public Trial run(int number, Map<String, Object> params, String diff, long seed) {
                seeds.add(seed);
                double value = number == 2 ? 0.96 : number == 3 || number == 4 ? 0.93
                        : number >= 5 ? 0.97 - (seed - 42) * 0.005 : 0.5;
                return Trial.succeeded(number, params, value, List.of(), 5);
            }
        };
    }

    @Test
    void withoutConfirmALuckyTrialEndsTheStudy() {
        StudyResult result = new Study(new StudyConfig(space, 30, 3, 1, null), Samplers.random(1), null, runner(),
                StudyListener.NONE, clock).run();

        assertThat(result.ending()).isEqualTo(Ending.TARGET_REACHED);
        assertThat(result.best().number()).isEqualTo(2);
        assertThat(result.confirmations()).isEmpty();
    }

    @Test
    void withConfirmTheLuckyTrialIsRepeatedWithNewSeedsAndTheStudyGoesOnUntilAConfirmedSuccess() {
        List<Confirmation> told = new CopyOnWriteArrayList<>();
        StudyConfig config = new StudyConfig(space, 30, 3, 1, null)
                .confirming(new Confirm(3, Confirm.Aggregate.MEAN), 42);

        StudyResult result = new Study(config, Samplers.random(1), null, runner(), new StudyListener() {
            @Override
            public void confirmationEnded(Confirmation c) {
                told.add(c);
            }
        }, clock).run();

        assertThat(result.ending()).isEqualTo(Ending.TARGET_REACHED);
        assertThat(result.trials()).extracting(Trial::number).containsExactly(1, 2, 3, 4, 5, 6, 7);
        assertThat(result.trials().get(2).params()).isEqualTo(result.trials().get(1).params());
        assertThat(seeds).containsExactly(42L, 42L, 43L, 44L, 42L, 43L, 44L);
        assertThat(told).extracting(Confirmation::message).containsExactly(
                "trial 2 reached 0.96 but its confirmation (mean of 3: 0.94; trial 2 HONE_SEED 42 → 0.96, trial 3"
                        + " HONE_SEED 43 → 0.93, trial 4 HONE_SEED 44 → 0.93) did not reach the target 0.95; the"
                        + " study goes on",
                "trial 5 reached 0.97 and its confirmation did too (mean of 3: 0.965; trial 5 HONE_SEED 42 → 0.97,"
                        + " trial 6 HONE_SEED 43 → 0.965, trial 7 HONE_SEED 44 → 0.96)");
        assertThat(result.confirmations()).isEqualTo(told);
        assertThat(result.best().number()).isEqualTo(5);
        assertThat(result.best().value()).isEqualTo(0.965, org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void aConfirmationTheBudgetCutsShortIsSaid() {
        StudyConfig config = new StudyConfig(space, 3, 3, 1, null)
                .confirming(new Confirm(3, Confirm.Aggregate.MEDIAN), 42);

        StudyResult result = new Study(config, Samplers.random(1), null, runner(), StudyListener.NONE, clock).run();

        assertThat(result.ending()).isEqualTo(Ending.BUDGET_SPENT);
        assertThat(result.detail()).isEqualTo("the confirmation of trial 2 had 2 of 3 runs when the study ended");
        assertThat(result.best().number()).isEqualTo(2);
    }

    @Test
    void aResumedStudyConfirmsAnEarlierTrialThatReachedTheTargetInsteadOfBelievingIt() {
        Map<String, Object> lucky = Map.of("x", 0.2);
        StudyConfig config = new StudyConfig(space, 30, 3, 1, null)
                .confirming(new Confirm(3, Confirm.Aggregate.MEAN), 42);

        StudyResult result = new Study(config, Samplers.random(1), null, runner(), StudyListener.NONE, clock)
                .resumeFrom(List.of(Trial.succeeded(1, Map.of("x", 0.9), 0.5, List.of(), 5),
                        Trial.succeeded(2, lucky, 0.96, List.of(), 5)))
                .run();

        assertThat(result.trials()).extracting(Trial::number).containsExactly(1, 2, 3, 4, 5, 6, 7);
        assertThat(result.trials().get(2).params()).isEqualTo(lucky);
        assertThat(result.confirmations()).extracting(Confirmation::reached).containsExactly(false, true);
        assertThat(result.ending()).isEqualTo(Ending.TARGET_REACHED);
        assertThat(result.best().number()).isEqualTo(5);
    }
}
