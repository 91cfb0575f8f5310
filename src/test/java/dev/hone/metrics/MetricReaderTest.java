package dev.hone.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.hone.metrics.MetricReader.Reading;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MetricReaderTest {

    private static final String NO_VALUE = "printed no accuracy value: print a line like `accuracy=0.93` or write"
            + " {\"accuracy\": 0.93} to $HONE_OUTPUT/metrics.json";

    final List<MetricPoint> reported = new CopyOnWriteArrayList<>();
    MetricReader reader;

    @BeforeEach
    void newReader() {
        reader = new MetricReader("accuracy", reported::add);
    }

    @Nested
    class PrintedLines {

        static Stream<Arguments> linesWithTheMetric() {
            return Stream.of(
                    Arguments.of("accuracy=0.93", 0.93),
                    Arguments.of("accuracy: 0.93", 0.93),
                    Arguments.of("accuracy = 0.93", 0.93),
                    Arguments.of("accuracy : 0.93", 0.93),
                    Arguments.of("accuracy:0.93", 0.93),
                    Arguments.of("ACCURACY=0.93", 0.93),
                    Arguments.of("Accuracy: 0.93", 0.93),
                    Arguments.of("Test accuracy: 0.93", 0.93),
                    Arguments.of("INFO epoch 3 val accuracy=0.91", 0.91),
                    Arguments.of("2024-05-01 12:00:00 [main] accuracy=0.91 loss=0.2", 0.91),
                    Arguments.of("loss: 0.3 - accuracy: 0.9 - val_loss: 0.4 - val_accuracy: 0.8", 0.9),
                    Arguments.of("{'accuracy': 0.93, 'loss': 0.1}", 0.93),
                    Arguments.of("{\"accuracy\": 0.93}", 0.93),
                    Arguments.of("Final accuracy: 0.93.", 0.93),
                    Arguments.of("accuracy=0.5 then accuracy=0.6", 0.6),
                    Arguments.of("accuracy=.5", 0.5),
                    Arguments.of("accuracy=5.", 5.0),
                    Arguments.of("accuracy=1", 1.0),
                    Arguments.of("accuracy=-2", -2.0),
                    Arguments.of("accuracy=+0.25", 0.25),
                    Arguments.of("accuracy=1e-3", 0.001),
                    Arguments.of("accuracy=2.5E+2", 250.0),
                    Arguments.of("accuracy=93%", 0.93),
                    Arguments.of("accuracy: 12.5 %", 12.5));
        }

        @ParameterizedTest(name = "{0} → {1}")
        @MethodSource("linesWithTheMetric")
        void readsTheValue(String line, double expected) {
            reader.accept(line);

            assertThat(reader.finish(null)).isEqualTo(new Reading(expected, null));
        }

        @ParameterizedTest(name = "[{index}] {0}")
        @ValueSource(strings = {
                "val_accuracy=0.5",
                "accuracy_top5=0.5",
                "top1accuracy=0.5",
                "accuracy improved to 0.93",
                "accuracy=high",
                "accuracy=0.9abc",
                "accuracy=1.2.3x",
                "accuracy: information",
                "accuracy: nanometre",
                "accuracy == 0.5",
                "accuracy",
                "precision=0.9 recall=0.8",
                "",
        })
        void ignoresLinesWithoutIt(String line) {
            reader.accept(line);

            assertThat(reader.finish(null)).isEqualTo(new Reading(null, NO_VALUE));
        }

        @Test
        void takesTheLastValuePrinted() {
            List.of("accuracy=0.5", "training...", "accuracy=0.7", "val_accuracy=0.9", "done").forEach(reader);

            assertThat(reader.finish(null).value()).isEqualTo(0.7);
        }

        @Test
        void findsAMetricWhoseNameHasSpacesAndSymbols() {
            MetricReader f1 = new MetricReader("f1-score (macro)", point -> {});

            f1.accept("F1-Score (macro): 0.77");

            assertThat(f1.finish(null).value()).isEqualTo(0.77);
        }

        @Test
        void refusesABlankName() {
            assertThatThrownBy(() -> new MetricReader(" ", point -> {}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("metric name must not be blank");
        }
    }

    @Nested
    class NonFiniteValues {

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"accuracy=nan", "accuracy: NaN", "accuracy=-nan"})
        void nanIsNoValue(String line) {
            reader.accept(line);

            assertThat(reader.finish(null))
                    .isEqualTo(new Reading(null, "accuracy is NaN: a non-finite value is no value"));
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"accuracy=inf", "accuracy: Infinity", "accuracy=+INF"})
        void infinityIsNoValue(String line) {
            reader.accept(line);

            assertThat(reader.finish(null))
                    .isEqualTo(new Reading(null, "accuracy is inf: a non-finite value is no value"));
        }

        @Test
        void negativeInfinityIsNoValue() {
            reader.accept("accuracy=-inf");

            assertThat(reader.finish(null).problem()).isEqualTo("accuracy is -inf: a non-finite value is no value");
        }

        @Test
        void aLaterFiniteValueWins() {
            List.of("accuracy=nan", "accuracy=0.8").forEach(reader);

            assertThat(reader.finish(null).value()).isEqualTo(0.8);
        }

        @Test
        void aLaterNonFiniteValueWins() {
            List.of("accuracy=0.8", "accuracy=nan").forEach(reader);

            assertThat(reader.finish(null).hasValue()).isFalse();
        }
    }

    @Nested
    class Intermediate {

        @Test
        void reportsAValueWithAStepAsItArrives() {
            reader.accept("epoch=1 accuracy=0.5");
            assertThat(reported).containsExactly(new MetricPoint(1, 0.5));

            reader.accept("step: 2 accuracy: 0.6");
            assertThat(reported).containsExactly(new MetricPoint(1, 0.5), new MetricPoint(2, 0.6));
        }

        @Test
        void readsTheStepWhereverItIsOnTheLine() {
            List.of("epoch=1 accuracy=0.5",
                    "accuracy=0.6 step=2",
                    "STEP = 3, accuracy: 0.7",
                    "epoch: 4 | accuracy 0.1 | accuracy=0.8",
                    "epoch=5 step=500 accuracy=0.85").forEach(reader);

            assertThat(reader.intermediate()).containsExactly(new MetricPoint(1, 0.5), new MetricPoint(2, 0.6),
                    new MetricPoint(3, 0.7), new MetricPoint(4, 0.8), new MetricPoint(500, 0.85));
            assertThat(reported).isEqualTo(reader.intermediate());
        }

        @Test
        void countsAsTheLatestValueToo() {
            List.of("epoch=1 accuracy=0.5", "epoch=2 accuracy=0.6").forEach(reader);

            assertThat(reader.finish(null).value()).isEqualTo(0.6);
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"epoch 3 accuracy=0.9", "Epoch 3/10 accuracy=0.9", "steps=3 accuracy=0.9",
                "timestep=3 accuracy=0.9", "step=3.5 accuracy=0.9"})
        void aLineWithoutAStepIsOnlyTheLatestValue(String line) {
            reader.accept(line);

            assertThat(reader.intermediate()).isEmpty();
            assertThat(reader.finish(null).value()).isEqualTo(0.9);
        }

        @Test
        void skipsNonFiniteIntermediateValues() {
            reader.accept("step=1 accuracy=nan");

            assertThat(reported).isEmpty();
        }

        @Test
        void takesLinesFromSeveralThreadsAtOnce() throws InterruptedException {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 1000; i++) {
                        reader.accept("step=" + (thread * 1000 + i) + " accuracy=0.5");
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }

            assertThat(reader.intermediate()).hasSize(4000);
            assertThat(reported).hasSize(4000);
        }
    }

    @Nested
    class ManyIntermediateValues {

        @Test
        void keepsAtMostTenThousandOfThemTheLatestAmongThem() {
            for (int epoch = 1; epoch <= 25_000; epoch++) {
                reader.accept("epoch=" + epoch + " accuracy=0." + epoch);
            }

            List<MetricPoint> kept = reader.intermediate();
            assertThat(kept).hasSizeLessThanOrEqualTo(10_000).hasSizeGreaterThan(5_000);
            assertThat(kept.getFirst()).isEqualTo(new MetricPoint(1, 0.1));
            assertThat(kept.getLast()).isEqualTo(new MetricPoint(25_000, 0.25));
            assertThat(reported).as("every value still reaches the pruner").hasSize(25_000);
        }

        @Test
        void keepsThemEvenlySpaced() {
            MetricReader small = new MetricReader("accuracy", 10, point -> {});
            for (int step = 0; step < 100; step++) {
                small.accept("step=" + step + " accuracy=0.5");
            }

            assertThat(small.intermediate()).extracting(MetricPoint::step)
                    .containsExactly(0L, 16L, 32L, 48L, 64L, 80L, 96L, 99L);
        }

        @Test
        void keepsTheLatestOnlyOnceWhenItFallsOnTheSpacing() {
            MetricReader small = new MetricReader("accuracy", 4, point -> {});
            for (int step = 0; step <= 4; step++) {
                small.accept("step=" + step + " accuracy=0.5");
            }

            assertThat(small.intermediate()).extracting(MetricPoint::step).containsExactly(0L, 2L, 4L);
        }
    }

    @Nested
    class MetricsJson {

        @TempDir
        Path output;

        @Test
        void takesPrecedenceOverPrintedLines() throws IOException {
            reader.accept("accuracy=0.5");
            write("{\"loss\": 0.1, \"accuracy\": 0.9}");

            assertThat(reader.finish(output)).isEqualTo(new Reading(0.9, null));
        }

        @Test
        void matchesTheNameInAnyCase() throws IOException {
            write("{\"Accuracy\": 0.9}");

            assertThat(reader.finish(output).value()).isEqualTo(0.9);
        }

        @Test
        void acceptsTheValueAsAString() throws IOException {
            write("{\"accuracy\": \"0.9\"}");

            assertThat(reader.finish(output).value()).isEqualTo(0.9);
        }

        @Test
        void leavesThePrintedValueWhenItDoesNotHoldTheMetric() throws IOException {
            reader.accept("accuracy=0.5");
            write("{\"loss\": 0.1}");

            assertThat(reader.finish(output).value()).isEqualTo(0.5);
        }

        @Test
        void isNotNeeded() {
            reader.accept("accuracy=0.5");

            assertThat(reader.finish(output).value()).isEqualTo(0.5);
        }

        @Test
        void reportsInvalidJson() throws IOException {
            reader.accept("accuracy=0.5");
            write("{accuracy: 0.9");

            assertThat(reader.finish(output).problem()).isEqualTo("metrics.json is not valid JSON: Unexpected"
                    + " character ('a' (code 97)): was expecting double-quote to start field name (line 1, column 2)");
        }

        @Test
        void reportsJsonThatIsNotAnObject() throws IOException {
            write("[0.9]");

            assertThat(reader.finish(output).problem())
                    .isEqualTo("metrics.json must hold a JSON object like {\"accuracy\": 0.93}, not [0.9]");
        }

        @Test
        void reportsAnEmptyFile() throws IOException {
            write("");

            assertThat(reader.finish(output).problem())
                    .isEqualTo("metrics.json is empty: write a JSON object like {\"accuracy\": 0.93}");
        }

        @Test
        void reportsAValueThatIsNotANumber() throws IOException {
            write("{\"accuracy\": true}");

            assertThat(reader.finish(output).problem())
                    .isEqualTo("metrics.json holds accuracy = true: expected a number like {\"accuracy\": 0.93}");
        }

        @Test
        void rejectsNaNAsPythonWritesIt() throws IOException {
            write("{\"accuracy\": NaN}");

            assertThat(reader.finish(output).problem())
                    .isEqualTo("accuracy is NaN: a non-finite value is no value");
        }

        @Test
        void rejectsInfinityAsPythonWritesIt() throws IOException {
            write("{\"accuracy\": -Infinity}");

            assertThat(reader.finish(output).problem())
                    .isEqualTo("accuracy is -inf: a non-finite value is no value");
        }

        private void write(String json) throws IOException {
            Files.writeString(output.resolve("metrics.json"), json);
        }
    }

    @Nested
    class DecimalCommas {

        final List<String> warnings = new CopyOnWriteArrayList<>();
        final MetricReader commas = new MetricReader("accuracy", MetricReader.MAX_POINTS, reported::add,
                warnings::add);

        @Test
        void aDecimalCommaIsNotReadAndSaysWhy() {
            commas.accept("epoch=3 accuracy=9,5");

            String why = "ignored \"accuracy=9,5\": a comma is not a decimal point, so Hone does not read it as a "
                    + "number — print accuracy=9.5";
            assertThat(warnings).containsExactly(why);
            assertThat(commas.finish(null)).isEqualTo(new Reading(null, "printed no accuracy value: " + why));
            assertThat(reported).isEmpty();
        }

        @Test
        void theValueReadBeforeStaysAndOnlyTheFirstIsReported() {
            List.of("accuracy: 0.8", "Accuracy: 0,93", "accuracy=0,94").forEach(commas);

            assertThat(commas.finish(null)).isEqualTo(new Reading(0.8, null));
            assertThat(warnings).containsExactly("ignored \"Accuracy: 0,93\": a comma is not a decimal point, so "
                    + "Hone does not read it as a number — print Accuracy: 0.93");
        }

        @Test
        void moreThanOneCommaSuggestsNoValue() {
            commas.accept("accuracy=1,000,000");

            assertThat(warnings).containsExactly("ignored \"accuracy=1,000,000\": a comma is not a decimal point, so "
                    + "Hone does not read it as a number — print accuracy=0.93");
        }

        @ParameterizedTest(name = "{0} → {1}")
        @CsvSource(delimiter = '|', value = {
                "accuracy=0.9, loss=0.1 | 0.9",
                "accuracy=0.91,0.92     | 0.91",
                "accuracy=1, loss=2     | 1.0",
                "accuracy=0.5,epoch=3   | 0.5"})
        void aCommaThatSeparatesValuesIsNoDecimalComma(String line, double expected) {
            commas.accept(line);

            assertThat(commas.finish(null)).isEqualTo(new Reading(expected, null));
            assertThat(warnings).isEmpty();
        }
    }

    @Test
    void saysHowToReportTheMetricWhenThereIsNone() {
        reader.accept("training done");

        assertThat(reader.finish(null)).isEqualTo(new Reading(null, NO_VALUE));
    }

    @Nested
    class EveryMetric {

        @Test
        void everyNameValueATrialPrintsIsKeptItsLastValueWithTheRunsOwnUnderItsName() {
            Stream.of("2024-05-01 12:00:00 [main] Accuracy=0.91 loss=0.2",
                    "f1=0.88 recall: 0.7", "Test accuracy: 0.93", "f1 = 0.91", "latency_ms=42").forEach(reader);

            assertThat(reader.finish(null).value()).isEqualTo(0.93);
            assertThat(reader.metrics()).containsExactly(entry("accuracy", 0.93), entry("f1", 0.91),
                    entry("latency_ms", 42.0), entry("loss", 0.2), entry("recall", 0.7));
        }

        @Test
        void stepsEpochsTimesAndNonNumbersAreNoMetrics() {
            Stream.of("epoch=3 step=12 lr=0.01", "Time: 12:30 elapsed", "model: resnet50", "url=http://x:80", "git@host:22",
                    "mirror: pypi.example:8080",
                    "val_loss=nan", "f1=0,9").forEach(reader);

            assertThat(reader.metrics()).containsExactly(entry("lr", 0.01));
        }

        @Test
        void otherMetricsKeepTheirIntermediateValuesByStepEachUnderTheCap() {
            MetricReader small = new MetricReader("accuracy", 4, reported::add);
            for (int step = 1; step <= 9; step++) {
                small.accept("epoch=" + step + " loss=" + (1.0 / step) + " accuracy=0." + step);
            }
            small.accept("loss=0.05");

            assertThat(small.otherIntermediate()).containsOnlyKeys("loss");
            List<MetricPoint> loss = small.otherIntermediate().get("loss");
            assertThat(loss).hasSizeLessThanOrEqualTo(4).first().isEqualTo(new MetricPoint(1, 1.0));
            assertThat(loss.getLast()).isEqualTo(new MetricPoint(9, 1.0 / 9));
            assertThat(small.intermediate()).hasSizeLessThanOrEqualTo(4);
            assertThat(small.metrics()).containsEntry("loss", 0.05).containsEntry("accuracy", 0.9);
        }

        @Test
        void metricsJsonNumbersTakePrecedence(@TempDir Path output) throws IOException {
            Files.writeString(output.resolve("metrics.json"),
                    "{\"accuracy\": 0.95, \"F1\": 0.9, \"note\": \"text\", \"auc\": 0.8}");
            Stream.of("accuracy=0.5", "f1=0.1", "loss=0.3").forEach(reader);

            assertThat(reader.finish(output).value()).isEqualTo(0.95);
            assertThat(reader.metrics()).containsExactly(entry("accuracy", 0.95), entry("auc", 0.8),
                    entry("F1", 0.9), entry("loss", 0.3));
        }

        @Test
        void aTrialKeepsAtMostFiftyNamesAndSaysSoOnce() {
            List<String> warnings = new ArrayList<>();
            MetricReader many = new MetricReader("accuracy", 10, point -> { }, warnings::add);
            for (int i = 1; i <= 60; i++) {
                many.accept("m" + i + "=" + i);
            }
            many.accept("accuracy=0.9");

            assertThat(many.metrics()).hasSize(MetricReader.MAX_METRICS + 1).containsKey("m50")
                    .doesNotContainKey("m51").containsEntry("accuracy", 0.9);
            assertThat(warnings).containsExactly("ignored m51 and any other new metric name: a trial keeps at most 50"
                    + " metrics");
        }
    }
}
