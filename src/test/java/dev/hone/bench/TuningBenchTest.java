package dev.hone.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hone.tune.Direction;
import dev.hone.tune.Pruners;
import dev.hone.tune.Samplers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TuningBenchTest {

    final ByteArrayOutputStream progress = new ByteArrayOutputStream();
    final TuningBench bench = new TuningBench(new PrintStream(progress, true, StandardCharsets.UTF_8));

    @Test
    void theProblemsAreTheAnchorsFunctions() {
        assertThat(Problem.branin(Map.of("x", Math.PI, "y", 2.275))).isCloseTo(0.397887, within(1e-5));
        double[] opt = {0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573};
        assertThat(Problem.hartmann6(opt)).isCloseTo(-3.32237, within(1e-4));
    }

    @Test
    void theNewProblemsAreOptunaSidesFunctions() { // the values bench/optuna_side.py computes at the same points
        assertThat(Problem.mixed("adam", 32, Math.pow(10, -3.3), 6, 0.3)).isCloseTo(0.05, within(1e-12));
        assertThat(Problem.mixed("sgd", 64, 0.01, 3, 0.5)).isCloseTo(0.098225, within(1e-12));
        assertThat(Problem.levy(new double[] {1, 1, 1, 1, 1, 1, 1, 1})).isCloseTo(0, within(1e-12));
        assertThat(Problem.conditional(Map.of("optimizer", "sgd", "lr", 0.01, "dropout", 0.5, "momentum", 0.5,
                "nesterov", false))).isCloseTo(0.1155, within(1e-12));
        assertThat(Problem.conditional(Map.of("optimizer", "adam", "lr", Math.pow(10, -3.3), "dropout", 0.3, "beta",
                0.95))).isCloseTo(0.05, within(1e-12));
        assertThat(Problem.conditional(Map.of("optimizer", "adam", "lr", 0.001, "dropout", 0.1, "beta", 0.9)))
                .isCloseTo(0.0706, within(1e-12));
        assertThat(Problem.levy(new double[] {0.5, -2, 3, 4, 1, 0, 2, -7})).isCloseTo(12.692770085087478,
                within(1e-9));
    }

    @Test
    void aStudyCountsTheTrialThatFirstReachedTheTargetOrBudgetPlusOne() {
        assertThat(TuningBench.trialsToTarget(Problem.branin(), Samplers.bayes(0), 60)).isBetween(1, 60);
        assertThat(TuningBench.trialsToTarget(Problem.hartmann6(), Samplers.random(0), 5)).isEqualTo(6);
    }

    @Test
    void aSmallRunPrintsTheSideBySideTable() {
        List<TuningBench.Row> rows = new ArrayList<>(bench.run(Problem.branin(),
                TuningBench.contenders(List.of("random", "auto")), 1, 20));
        rows.add(OptunaSide.parse("row problem=branin sampler=tpe budget=20 trials=21"));

        String table = TuningBench.table(List.of(Problem.branin()), rows);

        assertThat(table).startsWith("| problem (target) | Optuna tpe | Hone random | Hone auto |"
                + " Hone auto / best Optuna |\n|---|---|---|---|---|\n"
                + "| Branin, f <= 0.45 (optimum 0.3979) | >20 (0/1) |");
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("hone   branin     auto");
    }

    @Test
    void optunasLinesAreParsed() {
        TuningBench.Row row = OptunaSide.parse("row problem=hartmann6 sampler=tpe-multivariate budget=150 "
                + "trials=44,37,21,94,151");

        assertThat(row.side()).isEqualTo("optuna");
        assertThat(row.sampler()).isEqualTo("tpe-multivariate");
        assertThat(row.median()).isEqualTo(44);
        assertThat(row.hits()).isEqualTo(4);
        assertThat(row.cell()).isEqualTo("44 (4/5)");
    }

    @Test
    void aMedianPastTheBudgetIsShownAsMoreThanTheBudget() {
        TuningBench.Row row = new TuningBench.Row("branin", "optuna", "random", List.of(151, 151, 126), 150);

        assertThat(row.cell()).isEqualTo(">150 (1/3)");
    }

    @Test
    void ashaStopsMostTrialsEarly() {
        PruningBench pruning = new PruningBench(new PrintStream(progress, true, StandardCharsets.UTF_8));

        PruningBench.Row none = pruning.run("tpe", s -> Samplers.tpe(s, false), "none", s -> Pruners.none(), 1, 30);
        PruningBench.Row asha = pruning.run("tpe", s -> Samplers.tpe(s, false), "asha",
                s -> Pruners.asha(1, 3, Direction.MINIMIZE), 1, 30);

        assertThat(none.steps().getFirst()).isEqualTo(30L * PruningBench.MAX_STEPS);
        assertThat(asha.steps().getFirst()).isLessThan(none.steps().getFirst() / 3);
    }

    @Test
    void latencyAndParallelAreMeasured() {
        SuggestionBench.Latency l = SuggestionBench.latency("bayes", Samplers.bayes(1), Problem.branin(), 50, 3);
        SuggestionBench.Parallel p = SuggestionBench.parallel(Problem.branin(), Samplers.bayes(1), 12, 4);

        assertThat(l.medianMs()).isPositive();
        assertThat(p.maxRunning()).isEqualTo(4);
        assertThat(p.repeated()).isZero();
    }

    @Test
    void theSuggestionReportHasARowPerSamplerAndHistoryAndAColumnPerSpace() {
        String md = SuggestionBench.report(List.of("auto"), 20, 2, new PrintStream(progress, true,
                StandardCharsets.UTF_8));

        assertThat(md).startsWith("One `suggest(n = 1)` per trial, as a study asks, at 20 … 21 finished trials");
        assertThat(md).contains("| sampler | history | Hartmann6, f <= -3.0 (optimum -3.3224) | Levy-8, f <= 5.0"
                + " (optimum 0) | Mixed (2 categorical + 3 numeric), f <= 0.075 (optimum 0.05) | 20 floats (Levy-20) |"
                + " 2 four-way categoricals + 12 floats |\n|---|---|---|---|---|---|---|\n");
        assertThat(md.lines().filter(l -> l.startsWith("| auto | random | ")
                || l.startsWith("| auto | searched | "))).hasSize(2)
                .allMatch(l -> l.matches("\\| auto \\| \\w+ \\|( [0-9.]+ / [0-9.]+ / [0-9.]+ \\([0-9.]+\\) \\|){5}"));
        assertThat(SuggestionBench.latencySpaces()).extracting(p -> p.space().params().size())
                .containsExactly(6, 8, 5, 20, 14); // 6, 8, 11, 20 and 20 model coordinates
    }
}
