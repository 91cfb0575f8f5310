package dev.hone.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hone bench logs} on a small log: every figure is measured and reported (their size is the bench's). */
class LogBenchTest {

    @TempDir
    Path work;

    @Test
    void aSmallRunReportsTheLogTheReadersTheServersMemoryAndHealth() {
        LogBench.Result result = new LogBench(System.getenv()).measure(2, 3, work);

        assertThat(result.logBytes()).isEqualTo(2_000_000 + "accuracy=0.5\n".length());
        assertThat(result.bytesPerRead()).isEqualTo(result.logBytes());
        assertThat(result.failed()).isEmpty();
        assertThat(result.linesPerRead() + result.linesLost()).isGreaterThan(0);
        assertThat(result.peakMiB()).isGreaterThanOrEqualTo(result.startMiB()).isPositive();
        assertThat(result.live().probes() + result.ended().probes()).isPositive();
        assertThat(result.healthMaxMs()).isGreaterThanOrEqualTo(result.live().healthMedianMs());
        assertThat(LogBench.report(List.of(result), 2))
                .contains("logs: hone serve (local executor, limits.log_size 256m), one trial printing 2 MB, 3 readers")
                .contains("  repeat 1: log 2.0 MB; server resident ")
                .contains("    ended: 3 downloads of the whole log at once, 2.0 MB each, in ")
                .contains("  over 1 repeats: peak resident ");
    }
}
