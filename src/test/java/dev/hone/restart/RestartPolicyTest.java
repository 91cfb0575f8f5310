package dev.hone.restart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.testing.FakeClock;
import dev.hone.time.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The restart schedule, played on a clock that moves only when the test says. */
class RestartPolicyTest {

    @Nested
    class TheWaits {

        @Test
        void theFirstRestartIsAtOnceThenTheBackoffDoublesFrom100MsUpTo30s() {
            List<Duration> delays = new ArrayList<>();
            for (int k = 1; k <= 12; k++) {
                delays.add(RestartPolicy.WORKSPACE.delay(k));
            }
            assertThat(delays).containsExactly(Duration.ZERO, ms(100), ms(200), ms(400), ms(800), ms(1600),
                    ms(3200), ms(6400), ms(12800), ms(25600), Duration.ofSeconds(30), Duration.ofSeconds(30));
            assertThat(RestartPolicy.WORKSPACE.delay(1000)).isEqualTo(Duration.ofSeconds(30));
        }

        @Test
        void theCapIsASettingAsUsersOfDockerAndKubernetesAsk() {
            RestartPolicy kubernetesLike = new RestartPolicy(RestartPolicy.Mode.ALWAYS, 10,
                    Backoff.doubling(Duration.ofSeconds(10), Duration.ofMinutes(5)), Duration.ofMinutes(10));
            assertThat(kubernetesLike.delay(2)).isEqualTo(Duration.ofSeconds(10));
            assertThat(kubernetesLike.delay(6)).isEqualTo(Duration.ofSeconds(160));
            RestartPolicy capped = new RestartPolicy(RestartPolicy.Mode.ALWAYS, 10,
                    kubernetesLike.backoff().withCap(Duration.ofSeconds(45)), Duration.ofMinutes(10));
            assertThat(capped.delay(6)).isEqualTo(Duration.ofSeconds(45));
        }

        @Test
        void nonsenseIsRefusedWithTheValue() {
            assertThatThrownBy(() -> new RestartPolicy(RestartPolicy.Mode.ALWAYS, -1, RestartPolicy.BACKOFF,
                    RestartPolicy.RESET_AFTER)).hasMessage("max_restarts must not be negative, got -1");
            assertThatThrownBy(() -> RestartPolicy.WORKSPACE.withResetAfter(Duration.ofSeconds(-1)))
                    .hasMessage("the healthy period must not be negative, got PT-1S");
            assertThatThrownBy(() -> RestartPolicy.WORKSPACE.delay(0))
                    .hasMessage("restarts are numbered from 1, got 0");
        }
    }

    @Nested
    class TheSupervisor {

        final FakeClock clock = new FakeClock();

        Supervisor supervisor(RestartPolicy.Mode mode, int max) {
            RestartPolicy policy = new RestartPolicy(mode, max, RestartPolicy.BACKOFF, RestartPolicy.RESET_AFTER);
            Supervisor s = new Supervisor(policy, clock);
            s.started();
            return s;
        }

        @Test
        void aCrashLoopIsRestartedWithGrowingWaitsThenGivenUp() {
            Supervisor s = supervisor(RestartPolicy.Mode.ON_FAILURE, 3);
            List<Supervisor.Decision> decisions = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                clock.advance(ms(50)); // dies 50 ms after each start
                Supervisor.Decision d = s.stopped(1);
                decisions.add(d);
                if (d instanceof Supervisor.Restart r) {
                    clock.advance(r.delay());
                    s.started();
                }
            }
            assertThat(decisions).containsExactly(new Supervisor.Restart(1, 1, Duration.ZERO),
                    new Supervisor.Restart(2, 2, ms(100)), new Supervisor.Restart(3, 3, ms(200)),
                    new Supervisor.GiveUp(3, 3, "it stopped again after 3 restarts in a row (max_restarts: 3)"));
        }

        @Test
        void aHealthyPeriodStartsTheCountAgain() {
            Supervisor s = supervisor(RestartPolicy.Mode.ON_FAILURE, 2);
            assertThat(s.stopped(137)).isEqualTo(new Supervisor.Restart(1, 1, Duration.ZERO));
            s.started();
            assertThat(s.stopped(137)).isEqualTo(new Supervisor.Restart(2, 2, ms(100)));
            s.started();
            clock.advance(Duration.ofSeconds(10)); // ran healthy for the reset period

            assertThat(s.stopped(137)).isEqualTo(new Supervisor.Restart(1, 3, Duration.ZERO));
            assertThat(s.total()).isEqualTo(3);
        }

        @Test
        void onFailureLeavesACleanExitStoppedAlwaysDoesNotAndNeverNeverRestarts() {
            assertThat(supervisor(RestartPolicy.Mode.ON_FAILURE, 5).stopped(0)).isEqualTo(
                    new Supervisor.LeaveStopped("exited with code 0 and the restart policy is on-failure"));
            assertThat(supervisor(RestartPolicy.Mode.ALWAYS, 5).stopped(0))
                    .isEqualTo(new Supervisor.Restart(1, 1, Duration.ZERO));
            assertThat(supervisor(RestartPolicy.Mode.NEVER, 5).stopped(1))
                    .isEqualTo(new Supervisor.LeaveStopped("restart policy never"));
            assertThat(supervisor(RestartPolicy.Mode.ALWAYS, 0).stopped(1))
                    .isEqualTo(new Supervisor.GiveUp(0, 0, "max_restarts is 0"));
        }
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }
}
