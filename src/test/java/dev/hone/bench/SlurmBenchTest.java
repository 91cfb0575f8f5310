package dev.hone.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.testing.Parts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hone bench slurm} on the real cluster: each way measured and reported, no job of it left in the queue. */
class SlurmBenchTest {

    @TempDir
    Path work;

    @Test
    void measuresHonesTrialsBesideSbatchWaitAndAPolledSbatch() throws IOException, InterruptedException {
        Parts.requireSlurm();

        SlurmBench.Result result = new SlurmBench(System.getenv()).measure(2, work);

        for (String way : new String[] {SlurmBench.HONE, SlurmBench.WAIT, SlurmBench.POLLED}) {
            assertThat(result.way(way).medianMs()).as(way).isPositive();
            assertThat(result.way(way).startMs()).as(way + ": submission to start").isPositive()
                    .isLessThan(result.way(way).medianMs());
        }
        assertThat(result.report()).contains("Slurm per-trial cost: 2 trials each way", SlurmBench.HONE,
                "from a job's start to its result known, Hone adds ");
        Process squeue = new ProcessBuilder("squeue", "-h", "-o", "%j").redirectErrorStream(true).start();
        String names = new String(squeue.getInputStream().readAllBytes());
        squeue.waitFor(30, TimeUnit.SECONDS);
        assertThat(names).doesNotContain("hone-bench");
    }
}
