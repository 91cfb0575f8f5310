package dev.hone.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one duration formatter: configured durations exactly, measured ones to a tenth of a second. */
class DurationsTest {

    @ParameterizedTest(name = "{0} is written {1}")
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
    void aConfiguredDurationIsWrittenExactlyAsHone_yamlSaysIt(Duration duration, String expected) {
        assertThat(Durations.format(duration)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} took {1}")
    @CsvSource({
            "PT0S,        0.0s",
            "PT0.432S,    0.4s",
            "PT12S,       12.0s",
            "PT12.345S,   12.3s",
            "PT59.96S,    59.9s",
            "PT1M,        1m0s",
            "PT1M35.9S,   1m35s",
            "PT1H15M,     75m0s",
    })
    void aMeasuredTimeIsWrittenToATenthOfASecond(Duration duration, String expected) {
        assertThat(Durations.elapsed(duration)).isEqualTo(expected);
    }
}
