package dev.hone.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnitsTest {

    @Nested
    class Durations {

        @ParameterizedTest(name = "{0} is {1}")
        @CsvSource({
                "90s, PT1M30S",
                "30m, PT30M",
                "2h, PT2H",
                "1h30m, PT1H30M",
                "1d, PT24H",
                "500ms, PT0.5S",
                "1m30s500ms, PT1M30.5S",
                "1.5h, PT1H30M",
                "90, PT1M30S",
                "2.5, PT2.5S",
                "0, PT0S",
        })
        void readsWhatPeopleWrite(String text, Duration expected) {
            assertThat(Units.duration(text)).contains(expected);
        }

        @ParameterizedTest(name = "{0} reads back")
        @ValueSource(strings = {"0ms", "500ms", "1.25s", "30s", "2m", "1m30s", "1h30m", "1h5s", "26h"})
        void readsBackWhatHoneWrites(String text) {
            Duration read = Units.duration(text).orElseThrow();
            assertThat(dev.hone.time.Durations.format(read)).isEqualTo(text);
        }

        @ParameterizedTest(name = "\"{0}\" is not a duration")
        @ValueSource(strings = {"", "soon", "m30", "1h30", "-5s", "5 m", "1H", "30min", "1w", "1e3s", "h"})
        void rejectsEverythingElse(String text) {
            assertThat(Units.duration(text)).isEmpty();
        }
    }

    @Nested
    class Sizes {

        @ParameterizedTest(name = "{0} is {1} bytes")
        @CsvSource({
                "2g, 2147483648",
                "512m, 536870912",
                "256Mi, 268435456",
                "1.5G, 1610612736",
                "1024k, 1048576",
                "2GB, 2147483648",
                "2GiB, 2147483648",
                "4mb, 4194304",
                "1t, 1099511627776",
                "4096, 4096",
                "512b, 512",
        })
        void readsWhatPeopleWrite(String text, long expected) {
            assertThat(Units.size(text)).contains(expected);
        }

        @ParameterizedTest(name = "\"{0}\" is not a size")
        @ValueSource(strings = {"", "lots", "2 g", "-1g", "2p", "g", "2gg", "2bi", "9999999999t"})
        void rejectsEverythingElse(String text) {
            assertThat(Units.size(text)).isEmpty();
        }

        @ParameterizedTest(name = "{0} bytes read back as {1}")
        @CsvSource({"4194304, 4m", "2147483648, 2g", "1536, 1536", "0, 0"})
        void formatsBackInTheLargestWholeUnit(long bytes, String expected) {
            assertThat(Units.formatSize(bytes)).isEqualTo(expected);
        }
    }
}
