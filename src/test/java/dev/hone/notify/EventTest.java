package dev.hone.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.spec.Spec;
import dev.hone.tune.Direction;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The words and lines people read: subjects that say the outcome and the figure. */
class EventTest {

    static List<Event> everyKind() {
        return List.of(Events.trainingFailed(), Events.targetReached(), Events.targetMissed(), Events.rebuildFailed(),
                Events.containerRestarted(), Events.containerGaveUp(), Events.jobRequeued(),
                Events.regression(Events.ORIGIN), Events.modelKept(Events.ORIGIN), Events.rolledBack(Events.ORIGIN),
                new Event.TestMessage(Events.ORIGIN));
    }

    @Test
    void subjectsSayTheOutcomeAndTheFigure() {
        assertThat(everyKind()).extracting(Event::message).containsExactly(
                "digits: training failed in trial 3: ValueError: Input contains NaN, infinity or a value too large "
                        + "for dtype('float64'). (exit 1)",
                "digits: accuracy 0.963 ≥ 0.96 after 5 trials",
                "digits: accuracy target 0.96 missed after 30 trials, best 0.951 (budget spent)",
                "digits: rebuild.py failed (exit 2): KeyError: 'layers'",
                "digits: container hone-digits-serve restarted (2 of 5): exited with code 137 (out of memory)",
                "digits: gave up on container hone-digits-serve after 5 restarts: exited with code 1",
                "digits: hone-digits-r7-t3 submitted again (requeue 1): job 812 lost: NODE_FAIL (NodeDown); trial 3"
                        + " runs again as a new job",
                "digits: accuracy regressed from 0.95 (run 6, commit 0f1e2d3c4b5a) to 0.91 (commit a1b2c3d4e5f6) on"
                        + " main",
                "digits: kept the served model of run 6 (0.953 > 0.949)",
                "digits: rolled back to the model of run 6: the model of run 7 failed within its probation of 10m"
                        + " (its health check failed 3 times in a row (GET /health: HTTP 503))",
                "digits: test notification from Hone");
    }

    @Test
    void aMinimizedMetricReachesItsTargetFromBelow() {
        Event.TargetReached reached = new Event.TargetReached(Events.ORIGIN, "loss", Direction.MINIMIZE, 0.18, 0.2,
                3, 2, Map.of(), Duration.ofSeconds(42));
        Event.TargetMissed missed = new Event.TargetMissed(Events.ORIGIN, "loss", Direction.MINIMIZE, 0.31, 0.2, 30,
                "budget spent");

        assertThat(reached.message()).isEqualTo("digits: loss 0.18 ≤ 0.2 after 3 trials");
        assertThat(Facts.of(reached)).containsEntry("Target", "≤ 0.2");
        assertThat(Facts.of(missed)).containsEntry("Target", "≤ 0.2");
        assertThat(Facts.of(Events.targetMissed())).containsEntry("Target", "≥ 0.96");
    }

    @Test
    void aKeptModelSaysWhichSideWinsForEitherDirectionAndAShortfallOfTheMinimumImprovement() {
        assertThat(new Event.ModelKept(Events.ORIGIN, "loss", Direction.MINIMIZE, 0.2, 4, 0.18, 0).message())
                .isEqualTo("digits: kept the served model of run 4 (0.18 < 0.2)");
        assertThat(new Event.ModelKept(Events.ORIGIN, "accuracy", Direction.MAXIMIZE, 0.95, 4, 0.95, 0).message())
                .isEqualTo("digits: kept the served model of run 4 (0.95 = 0.95)");
        assertThat(new Event.ModelKept(Events.ORIGIN, "accuracy", Direction.MAXIMIZE, 0.951, 4, 0.95, 0.002)
                .message()).isEqualTo("digits: kept the served model of run 4 (0.951 is not 0.002 better than 0.95)");
    }

    @Test
    void aRegressionBeyondATolerance() {
        Event.Regression r = new Event.Regression(Events.ORIGIN, "loss", Direction.MINIMIZE, 0.31, "main", 6,
                "0f1e2d3c4b5a69788796a5b4c3d2e1f001234567", 0.2, 0.05);
        assertThat(r.message()).isEqualTo("digits: loss regressed from 0.2 (run 6, commit 0f1e2d3c4b5a) to 0.31"
                + " (commit a1b2c3d4e5f6) on main, beyond the tolerance 0.05");
        assertThat(CommitStatus.of(r)).isEqualTo(CommitStatus.FAILURE);
    }

    @Test
    void everyTypeIsAWordOfNotifyOnButTheTest() {
        assertThat(everyKind()).extracting(Event::type)
                .containsExactlyElementsOf(Stream.concat(Spec.EVENT_TYPES.stream(), Stream.of("test")).toList());
    }

    @Test
    void aBodyStartsWithTheSubjectAndSaysWhereAndWhat() {
        assertThat(Events.containerRestarted().body()).isEqualTo("""
                digits: container hone-digits-serve restarted (2 of 5): exited with code 137 (out of memory)
                commit: a1b2c3d4e5f60718293a4b5c6d7e8f9012345678
                author: Ana Lima <ana@example.com>
                last log lines:
                  Killed
                """);
    }

    @Test
    void theShortOriginLeavesTheRestUnknown() {
        assertThat(new Event.Origin("digits", "abc", "Ana")).isEqualTo(new Event.Origin("digits", "abc", "Ana",
                null, null));
    }
}
