package dev.hone.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.App;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hone bench webhook} on two pushes: every figure is measured and reported (their size is the bench's). */
class WebhookBenchTest {

    @TempDir
    Path work;

    @Test
    void aSmallRunReportsPushToTrainingStartTheWebhooksAnswerAndAnIdlePoll() {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        App app = new App(System.getenv(), quiet, quiet, InstantSource.system(), new Random(1));

        WebhookBench.Result result = new WebhookBench(app).measure(2, 2, work);

        assertThat(result.medianMs()).isPositive();
        assertThat(result.answeredMedianMs()).isPositive();
        assertThat(result.answeredMaxMs()).isGreaterThanOrEqualTo(result.answeredMedianMs());
        assertThat(result.pollMedianMs()).isPositive();
        assertThat(WebhookBench.report(result))
                .contains("  push-to-training-start, 2 pushes (warm):  median ")
                .contains("  webhook answered (HTTP 202), 2 pushes:    median ")
                .contains("idle poll (ls-remote of a local bare repository + compare with the store), 2 polls:");
    }
}
