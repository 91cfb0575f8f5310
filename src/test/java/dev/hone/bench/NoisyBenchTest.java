package dev.hone.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The noisy problem of {@code hone bench tuning}: seeded noise, a row per confirmation, Optuna's lines read. */
class NoisyBenchTest {

    @Test
    void theNoiseIsTheSeedsAndParametersAndOnlyTheirs() {
        Map<String, Object> p = Map.of("x", Math.PI, "y", 2.275);

        assertThat(NoisyBench.noisy(p, 7)).isEqualTo(NoisyBench.noisy(p, 7)).isNotEqualTo(NoisyBench.noisy(p, 8));
    }

    @Test
    void honesSideRunsAutoWithoutAndWithConfirmationAndCountsFalseStops() {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        List<NoisyBench.Row> rows = new NoisyBench(new PrintStream(progress, true, StandardCharsets.UTF_8)).run(3, 60);

        assertThat(rows).extracting(NoisyBench.Row::confirm).containsExactly(false, true);
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.trials()).hasSize(3).allSatisfy(t -> assertThat(t).isBetween(1, 61));
            assertThat(r.falseStops()).hasSize(3);
        });
        assertThat(rows.get(1).trials().stream().mapToInt(Integer::intValue).sum())
                .as("a confirmed stop takes at least the two repeats more")
                .isGreaterThanOrEqualTo(3 * 3);
        String table = NoisyBench.table(rows, 3, 60, "hone bench tuning --seeds 3 --budget 60");
        assertThat(table).contains("| sampler | confirmation | trials | false stops | real successes |",
                "`hone bench tuning --seeds 3 --budget 60 --problems noisy`", "| Hone auto | none | ",
                "| Hone auto | mean of 3 | ");
    }

    @Test
    void optunasNoisyLinesAreParsed() {
        NoisyBench.Row r = OptunaSide.parseNoisy("noisy sampler=tpe confirm=1 budget=150 trials=12,151,9 false=1,0,0");

        assertThat(r).isEqualTo(new NoisyBench.Row("optuna", "tpe", true, List.of(12, 151, 9),
                List.of(true, false, false), 150));
        assertThat(r.cells()).isEqualTo("| Optuna tpe | mean of 3 | 12 | 1/3 | 1/3 |");
    }
}
