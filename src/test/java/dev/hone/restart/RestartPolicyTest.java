package dev.hone.restart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.spec.Spec;
import dev.hone.spec.SpecLoader;
import dev.hone.testing.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The restart schedule, played on a clock that moves only when the test says. */
class RestartPolicyTest {

    @Nested
    class TheBackoff {

        @Test
        void startsAtOnceThenDoublesFromItsBaseUpToTheCap() {
            RestartPolicy.Backoff b = RestartPolicy.Backoff.DEFAULT;
            List<Duration> delays = new ArrayList<>();
            for (int k = 1; k <= 12; k++) {
                delays.add(b.delay(k));
            }
            assertThat(delays).containsExactly(Duration.ZERO, ms(100), ms(200), ms(400), ms(800), ms(1600),
                    ms(3200), ms(6400), ms(12800), ms(25600), Duration.ofSeconds(30), Duration.ofSeconds(30));
        }

        @Test
        void theCapIsASettingAsUsersOfDockerAndKubernetesAsk() {
            RestartPolicy.Backoff kubernetesLike = new RestartPolicy.Backoff(Duration.ofSeconds(10),
                    Duration.ofSeconds(20), 2, Duration.ofMinutes(5), Duration.ofMinutes(10));
            assertThat(kubernetesLike.delay(1)).isEqualTo(Duration.ofSeconds(10));
            assertThat(kubernetesLike.delay(5)).isEqualTo(Duration.ofSeconds(160));
            assertThat(kubernetesLike.withCap(Duration.ofSeconds(45)).delay(5)).isEqualTo(Duration.ofSeconds(45));
            assertThat(RestartPolicy.Backoff.DEFAULT.delay(1000)).isEqualTo(Duration.ofSeconds(30));
        }

        @Test
        void nonsenseIsRefusedWithTheValue() {
            assertThatThrownBy(() -> new RestartPolicy.Backoff(Duration.ZERO, ms(100), 0.5, ms(1000), ms(0)))
                    .hasMessage("back-off factor must be 1 or more, got 0.5");
            assertThatThrownBy(() -> new RestartPolicy(RestartPolicy.Mode.ALWAYS, -1, RestartPolicy.Backoff.DEFAULT))
                    .hasMessage("max_restarts must not be negative, got -1");
            assertThatThrownBy(() -> RestartPolicy.Backoff.DEFAULT.delay(0))
                    .hasMessage("restarts are numbered from 1, got 0");
        }
    }

    @Nested
    class TheSupervisor {

        final FakeClock clock = new FakeClock();

        Supervisor supervisor(RestartPolicy.Mode mode, int max) {
            Supervisor s = new Supervisor(new RestartPolicy(mode, max, RestartPolicy.Backoff.DEFAULT), clock);
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

        @Test
        void hone_yamlsRestartBlockBecomesThePolicy() {
            RestartPolicy p = RestartPolicy.of(new Spec.Restart(Spec.RestartPolicy.ALWAYS, 7));
            assertThat(p).isEqualTo(new RestartPolicy(RestartPolicy.Mode.ALWAYS, 7, RestartPolicy.Backoff.DEFAULT));
            assertThat(p.mode().word()).isEqualTo("always");
            assertThat(RestartPolicy.Mode.ON_FAILURE.word()).isEqualTo("on-failure");
        }

        @Test
        void theBackoffCapComesFromMaxBackoff() {
            Spec.Serve serve = SpecLoader.parse("serve: {command: python3 serve.py, restart: {max_backoff: 2s}}\n",
                    "hone.yaml", "p", Map.of()).serve();

            RestartPolicy p = RestartPolicy.of(serve.restart());

            assertThat(p.backoff().cap()).isEqualTo(Duration.ofSeconds(2));
            assertThat(p.backoff().delay(20)).isEqualTo(Duration.ofSeconds(2));
        }
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }
}
