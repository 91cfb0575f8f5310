package dev.hone.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "PT0S,        0ms",
            "PT0.5S,      500ms",
            "PT1S,        1s",
            "PT1.5S,      1.5s",
            "PT1.25S,     1.25s",
            "PT30S,       30s",
            "PT2M,        2m",
            "PT1M30S,     1m30s",
            "PT1H,        1h",
            "PT1H30M,     1h30m",
            "PT1H0M5S,    1h5s",
            "PT26H,       26h",
    })
    void writesDurationsAsPeopleDo(Duration duration, String expected) {
        assertThat(Durations.human(duration)).isEqualTo(expected);
    }
}
