package dev.hone.exec.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.testing.FakeClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class JobRateTest {

    @Test
    void spacesJobsEvenlyAtTheConfiguredRate() throws InterruptedException {
        FakeClock clock = new FakeClock();
        JobRate rate = new JobRate(4, clock, clock);

        for (int i = 0; i < 5; i++) {
            rate.acquire();
        }

        assertThat(clock.sleeps()).containsExactly(Duration.ZERO, Duration.ofMillis(250), Duration.ofMillis(250),
                Duration.ofMillis(250), Duration.ofMillis(250));
    }

    @Test
    void aJobAfterAQuietSpellGoesAtOnce() throws InterruptedException {
        FakeClock clock = new FakeClock();
        JobRate rate = new JobRate(4, clock, clock);
        rate.acquire();
        clock.advance(Duration.ofSeconds(10));

        rate.acquire();
        rate.acquire();

        assertThat(clock.sleeps()).containsExactly(Duration.ZERO, Duration.ZERO, Duration.ofMillis(250));
    }

    @Test
    void refusesARateThatIsNoRate() {
        assertThatThrownBy(() -> new JobRate(0, new FakeClock(), new FakeClock()))
                .hasMessage("Jobs per second must be a number greater than 0, got 0.0");
    }
}
