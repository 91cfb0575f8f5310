package dev.hone.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.run.RunStatus;
import dev.hone.spec.Schedule;
import dev.hone.spec.ServerSpec;
import dev.hone.store.RunRow;
import dev.hone.testing.FakeClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code triggers.schedule}: the head of the watched branch is trained again at each slot of the schedule, in its
 * time zone, once; slots missed while Hone was down fire once at start, not once each. The server's clock is a fake
 * one the test moves; {@link Server#fireSchedules} looks at the schedules as the server's own timer does.
 */
class ScheduleTest {

    /** Paris is UTC+1 in January: 03:00 there is 02:00Z. */
    private static final Schedule NIGHTLY = new Schedule("0 3 * * *", ZoneId.of("Europe/Paris"));

    @TempDir
    Path tmp;

    @Test
    void theBranchHeadIsTrainedAtTheSlotOnceAndOnceAfterADowntimeThatMissedThree() throws Exception {
        GitFixture repo = new GitFixture(tmp, "digits");
        String first = repo.write("main.py", "print('accuracy=0.91')\n").commit("Start");
        repo.push("main");
        FakeClock clock = new FakeClock(Instant.parse("2026-01-05T01:58:00Z"));
        List<ServerSpec.Repository> watched = List.of(Serve.webhooks(repo.url(), null).withInitialRun(false)
                .withSchedule(NIGHTLY));
        try (Serve serve = Serve.clocked(tmp.resolve("data"), watched, QueuePolicy.of(1), clock)) {
            serve.server.fireSchedules();
            clock.advance(Duration.ofMinutes(1));
            serve.server.fireSchedules();
            assertThat(runs(serve)).as("02:59 in Paris: not yet").isEmpty();

            clock.advance(Duration.ofMinutes(1));
            serve.server.fireSchedules();
            assertThat(runs(serve)).as("03:00 in Paris").hasSize(1);
            RunRow nightly = serve.awaitFinished(first, 30);
            assertThat(nightly.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(nightly.branch()).isEqualTo("main");

            serve.server.fireSchedules();
            clock.advance(Duration.ofMinutes(30));
            serve.server.fireSchedules();
            assertThat(runs(serve)).as("the slot fires once").hasSize(1);
        }

        String second = repo.write("main.py", "print('accuracy=0.93')\n").commit("Tune");
        repo.push("main");
        clock.advance(Duration.ofDays(3).plusHours(2)); // down over the slots of the 6th, 7th and 8th
        try (Serve serve = Serve.clocked(tmp.resolve("data"), watched, QueuePolicy.of(1), clock)) {
            serve.server.fireSchedules();
            assertThat(runs(serve)).as("three missed slots: one run at start").hasSize(2);
            assertThat(serve.awaitFinished(second, 30).status()).as("the branch's head now")
                    .isEqualTo(RunStatus.SUCCEEDED);
            clock.advance(Duration.ofHours(1));
            serve.server.fireSchedules();
            assertThat(runs(serve)).hasSize(2);

            clock.advance(Duration.ofHours(21)); // 03:30 in Paris on the 9th
            serve.server.fireSchedules();
            assertThat(runs(serve)).as("the next slot").hasSize(3);
        }
    }

    private static List<RunRow> runs(Serve serve) {
        return serve.store.runs(null, 100, 0);
    }
}
