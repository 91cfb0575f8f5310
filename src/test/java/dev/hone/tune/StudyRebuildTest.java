package dev.hone.tune;

import static dev.hone.tune.StudyTest.config;
import static dev.hone.tune.StudyTest.space;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.testing.FakeClock;
import dev.hone.tune.StudyResult.Ending;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The study with a rebuild program (strategy script), through a scripted Rebuilder. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class StudyRebuildTest {

    final FakeClock clock = new FakeClock();
    final List<String> ran = new CopyOnWriteArrayList<>();
    final List<Integer> historySizes = new CopyOnWriteArrayList<>();

    /** Value: C / 4 (0 without C); records what each trial ran with. */
    final TrialRunner runner = (number, params, diff) -> {
        ran.add(number + " " + params + " " + diff);
        double c = params.get("C") instanceof Number n ? n.doubleValue() : 0;
        return Trial.succeeded(number, params, c / 4, List.of(), 5);
    };

    Rebuilder scripted(Rebuilder.Outcome... outcomes) {
        List<Rebuilder.Outcome> left = new ArrayList<>(List.of(outcomes));
        return history -> {
            historySizes.add(history.size());
            return left.removeFirst();
        };
    }

    @Test
    void theNextTrialRunsWithTheRebuildsParametersAndDiff() {
        Rebuilder rebuilder = scripted(
                new Rebuilder.Next(Map.of("C", 2.0), "diff --git a/main.py b/main.py\n-1\n+2\n"),
                new Rebuilder.Next(Map.of("C", 3L), "diff --git a/main.py b/main.py\n-1\n+3\n"));

        StudyResult result = new Study(config(space(0.7), 10, 3, 1, null), null, rebuilder, runner,
                StudyListener.NONE, clock).run();

        assertThat(result.ending()).isEqualTo(Ending.TARGET_REACHED);
        assertThat(ran).containsExactly("1 {} ", "2 {C=2.0} diff --git a/main.py b/main.py\n-1\n+2\n",
                "3 {C=3} diff --git a/main.py b/main.py\n-1\n+3\n");
        assertThat(historySizes).containsExactly(1, 2);
        assertThat(result.trials().get(1).diff()).isEqualTo("diff --git a/main.py b/main.py\n-1\n+2\n");
        assertThat(result.best().number()).isEqualTo(3);
    }

    @Test
    void aFailedRebuildStopsTheStudy() {
        Rebuilder rebuilder = scripted(new Rebuilder.Next(Map.of("C", 1.0), ""),
                new Rebuilder.Failed("rebuild program `python3 rebuild.py` exited 1: ValueError: boom",
                        List.of("Traceback (most recent call last):", "ValueError: boom")));

        StudyResult result = new Study(config(space(0.9), 10, 3, 1, null), null, rebuilder, runner,
                StudyListener.NONE, clock).run();

        assertThat(result.ending()).isEqualTo(Ending.REBUILD_FAILED);
        assertThat(result.detail()).isEqualTo("rebuild program `python3 rebuild.py` exited 1: ValueError: boom");
        assertThat(result.rebuildTail()).containsExactly("Traceback (most recent call last):", "ValueError: boom");
        assertThat(result.trials()).hasSize(2);
    }

    @Test
    void aRebuilderThatThrowsIsAFailedRebuild() {
        Rebuilder rebuilder = history -> {
            throw new IllegalStateException("no session");
        };

        StudyResult result = new Study(config(space(0.9), 10, 3, 1, null), null, rebuilder, runner,
                StudyListener.NONE, clock).run();

        assertThat(result.ending()).isEqualTo(Ending.REBUILD_FAILED);
        assertThat(result.detail()).isEqualTo("rebuild failed: java.lang.IllegalStateException: no session");
        assertThat(result.trials()).hasSize(1);
    }

    @Test
    void theBudgetLimitsTheRebuilds() {
        Rebuilder rebuilder = history -> {
            historySizes.add(history.size());
            return new Rebuilder.Next(Map.of("C", 1.0), "");
        };

        StudyResult result = new Study(config(space(0.9), 3, 3, 1, null), null, rebuilder, runner,
                StudyListener.NONE, clock).run();

        assertThat(result.ending()).isEqualTo(Ending.BUDGET_SPENT);
        assertThat(result.trials()).hasSize(3);
        assertThat(historySizes).containsExactly(1, 2);
    }

    @Test
    void theRebuilderWinsOverASampler() {
        Sampler unused = new Sampler() {
            @Override
            public String name() {
                return "unused";
            }

            @Override
            public List<Map<String, Object>> suggest(SearchSpace space, List<Trial> history, int n) {
                throw new AssertionError("the sampler was asked");
            }
        };

        StudyResult result = new Study(config(space(0.2), 10, 3, 4, null), unused,
                scripted(new Rebuilder.Next(Map.of("C", 1.0), "")), runner, StudyListener.NONE, clock).run();

        assertThat(result.ending()).isEqualTo(Ending.TARGET_REACHED);
        assertThat(ran).containsExactly("1 {} ", "2 {C=1.0} ");
    }
}
