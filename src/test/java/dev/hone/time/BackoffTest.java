package dev.hone.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The one exponential back-off: repositories, deliveries, restarts and the Docker event stream wait by it. */
class BackoffTest {

    @Test
    void doublesFromTheFirstWaitUpToItsCap() {
        Backoff retry = Backoff.doubling(Duration.ofSeconds(1), Duration.ofMinutes(1));

        assertThat(IntStream.rangeClosed(1, 8).mapToObj(retry::delay).map(Duration::toSeconds))
                .containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L);
    }

    @Test
    void staysAtTheCapHoweverManyFailuresCame() {
        Backoff unreachable = Backoff.doubling(Duration.ofSeconds(5), Duration.ofMinutes(10));

        assertThat(unreachable.delay(7)).isEqualTo(Duration.ofSeconds(320));
        assertThat(unreachable.delay(8)).isEqualTo(Duration.ofMinutes(10));
        assertThat(unreachable.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(10));
        assertThat(unreachable.withCap(Duration.ofSeconds(45)).delay(5)).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void anotherFactorGrowsByIt() {
        Backoff slow = new Backoff(Duration.ofMillis(100), 1.5, Duration.ofSeconds(1));

        assertThat(IntStream.rangeClosed(1, 4).mapToObj(slow::delay))
                .containsExactly(Duration.ofMillis(100), Duration.ofMillis(150), Duration.ofMillis(225),
                        Duration.ofNanos(337_500_000));
    }

    @Test
    void nonsenseIsRefusedWithTheValue() {
        assertThatThrownBy(() -> new Backoff(Duration.ofMillis(100), 0.5, Duration.ofSeconds(1)))
                .hasMessage("back-off factor must be 1 or more, got 0.5");
        assertThatThrownBy(() -> Backoff.doubling(Duration.ofMillis(-1), Duration.ofSeconds(1)))
                .hasMessage("back-off durations must not be negative, got first PT-0.001S, cap PT1S");
        assertThatThrownBy(() -> Backoff.doubling(Duration.ofSeconds(1), Duration.ofSeconds(1)).delay(0))
                .hasMessage("failures are numbered from 1, got 0");
    }
}
