package dev.hone.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hone.metrics.MetricReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzzes what a trial (any program in a pushed repository) reports: its output lines, read for the metric and its
 * steps, and {@code $HONE_OUTPUT/metrics.json}. A reading is always a value or a problem, never an exception.
 * Seeds: {@code src/test/resources/dev/hone/fuzz/MetricsFuzzTestInputs/<method>/}.
 */
class MetricsFuzzTest {

    private static final Path OUTPUT = directory();

    @FuzzTest(maxDuration = "15s")
    void outputLines(byte[] output) {
        for (String name : new String[] {"accuracy", "val_loss"}) {
            MetricReader reader = new MetricReader(name, 2, point -> {}, warning -> {});
            new String(output, StandardCharsets.UTF_8).lines().forEach(reader);
            check(reader.finish(null));
            reader.intermediate();
        }
    }

    @FuzzTest(maxDuration = "15s")
    void metricsJson(byte[] json) {
        try {
            Files.write(OUTPUT.resolve("metrics.json"), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MetricReader reader = new MetricReader("accuracy", point -> {});
        reader.accept("accuracy=0.5");
        check(reader.finish(OUTPUT));
    }

    private static void check(MetricReader.Reading reading) {
        if (reading.hasValue() == (reading.problem() != null)) {
            throw new AssertionError("a reading is a value or a problem, not both or neither: " + reading);
        }
        if (reading.hasValue() && !Double.isFinite(reading.value())) {
            throw new AssertionError("a non-finite value: " + reading);
        }
    }

    private static Path directory() {
        try {
            return Files.createTempDirectory("hone-fuzz-output");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
