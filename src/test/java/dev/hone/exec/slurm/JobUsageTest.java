package dev.hone.exec.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.run.Usage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a job used, as {@code sacct} reports it and as the batch script leaves it in its usage file. */
class JobUsageTest {

    private static final Duration WALL = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    @Test
    void sacctGivesTheJobsTotalCpuAndTheLargestMaxRssOfItsSteps() {
        Optional<Usage> usage = Accounting.parse("""
                01:02.500|
                01:02.480|1536M
                00:00:00|812K
                """, WALL);

        assertThat(usage).contains(new Usage(WALL, Duration.ofMillis(62_500), 1536L << 20, null, null, "sacct"));
    }

    @Test
    void sacctsLongFormsOfTotalCpuAreDaysHoursMinutesSeconds() {
        assertThat(Accounting.parse("1-02:03:04|2G\n", WALL).map(Usage::cpu))
                .contains(Duration.ofDays(1).plusHours(2).plusMinutes(3).plusSeconds(4));
    }

    @Test
    void sacctWithoutMaxRssGaveNoFiguresAndTheScriptsAreUsed() {
        assertThat(Accounting.parse("00:00:00|\n00:00:00|\n", WALL)).isEmpty();
        assertThat(Accounting.parse("", WALL)).isEmpty();
    }

    @Test
    void theScriptsUsageFileGivesTheReapedProcessesCpuAndThePeakDashOrBash() throws IOException {
        JobFiles files = new JobFiles(dir);
        Files.writeString(files.usage(), "0m0.010000s 0m0.002000s\n1m2.260000s 0m0.390000s\npeak 123359232\n");
        assertThat(files.measuredUsage(WALL)).contains(new Usage(WALL, Duration.ofMillis(62_650), 123_359_232L,
                null, null, "batch script: times + /proc"));

        Files.writeString(files.usage(), "0m0.01s 0m0.00s\n0m0.26s 0m0.39s\npeak \n");
        assertThat(files.measuredUsage(WALL)).as("no sample saw the command: its peak is unknown")
                .contains(new Usage(WALL, Duration.ofMillis(650), null, null, null, "batch script: times + /proc"));
    }

    @Test
    void aScriptThatDidNotFinishItsUsageFileGivesNone() throws IOException {
        JobFiles files = new JobFiles(dir);
        assertThat(files.measuredUsage(WALL)).isEmpty();
        Files.writeString(files.usage(), "0m0.01s 0m0.00s\n");
        assertThat(files.measuredUsage(WALL)).isEmpty();
    }
}
