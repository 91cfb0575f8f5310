package dev.hone.bench;

import dev.hone.tune.Prior;
import dev.hone.tune.Samplers;
import dev.hone.tune.Strategy;
import dev.hone.tune.Study;
import dev.hone.tune.StudyConfig;
import dev.hone.tune.StudyListener;
import dev.hone.tune.StudyResult;
import dev.hone.tune.Trial;
import dev.hone.tune.TrialRunner;
import dev.hone.tune.WarmStart;
import java.io.PrintStream;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The warm-start problem of {@code hone bench tuning} ({@code warm_hartmann6}): commit 1's objective is Hartmann-6,
 * commit 2's is Hartmann-6 with its optimum moved by {@value #SHIFT} on every coordinate (the target, f ≤ −3.0, stays
 * reachable: the shifted optimum is the same −3.3224). Per seed, {@code auto} runs cold on commit 1 to the target
 * (or its budget); then on commit 2 {@code auto} runs warm-started from that run's trials ({@link WarmStart}), and
 * cold for comparison. The figure is the number of the first trial of commit 2's run that reached the target.
 */
final class WarmStartBench {

    static final String NAME = "warm_hartmann6";
    /** How far commit 2 moves the optimum, on each coordinate of [0, 1]⁶. */
    static final double SHIFT = 0.03;

    private final PrintStream progress;

    WarmStartBench(PrintStream progress) {
        this.progress = progress;
    }

    /** Commit 2's objective: Hartmann-6 moved by {@link #SHIFT}. */
    static Problem shifted() {
        Problem h6 = Problem.hartmann6();
        return new Problem(NAME, "Hartmann6 moved by " + SHIFT + ", f <= -3.0, after a run on Hartmann6",
                h6.space(), p -> {
                    double[] x = new double[6];
                    for (int i = 0; i < 6; i++) {
                        x[i] = (Double) p.get("x" + i) - SHIFT;
                    }
                    return Problem.hartmann6(x);
                });
    }

    /** The rows "auto (cold)" and "auto (warm)" on commit 2, seeds 0..seeds-1. */
    List<TuningBench.Row> run(int seeds, int budget) {
        Problem first = Problem.hartmann6();
        Problem second = shifted();
        List<Integer> cold = new ArrayList<>();
        List<Integer> warm = new ArrayList<>();
        List<Integer> priors = new ArrayList<>();
        for (int seed = 0; seed < seeds; seed++) {
            StudyResult commit1 = study(first, Samplers.forStrategy(Strategy.AUTO, first.space(), budget, seed),
                    budget);
            List<WarmStart.Earlier> earlier = commit1.trials().stream().map(t -> new WarmStart.Earlier(1, t))
                    .toList();
            Prior prior = WarmStart.prior(second.space(), earlier);
            priors.add(prior.trials().size());
            long seed2 = seed + 1000L;
            warm.add(reached(study(second, WarmStart.sampler(
                    Samplers.forStrategy(Strategy.AUTO, second.space(), budget, seed2), prior), budget), budget));
            cold.add(reached(study(second, Samplers.forStrategy(Strategy.AUTO, second.space(), budget, seed2),
                    budget), budget));
        }
        TuningBench.Row coldRow = new TuningBench.Row(NAME, "hone", "auto", cold, budget);
        TuningBench.Row warmRow = new TuningBench.Row(NAME, "hone", "auto-warm", warm, budget);
        progress.printf(Locale.ROOT, "  hone   %-10s auto (cold) median_trials=%6s reached=%d/%d all=%s%n", NAME,
                TuningBench.format(coldRow.median()), coldRow.hits(), seeds, cold);
        progress.printf(Locale.ROOT, "  hone   %-10s auto (warm) median_trials=%6s reached=%d/%d all=%s"
                + " prior_trials=%s%n", NAME, TuningBench.format(warmRow.median()), warmRow.hits(), seeds, warm,
                priors);
        return List.of(coldRow, warmRow);
    }

    /** The markdown table: Optuna cold on commit 2 (when run), auto cold, auto warm-started. */
    static String table(List<TuningBench.Row> rows, int budget) {
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "%n### Warm start across commits%n%n"
                + "Commit 2's objective is Hartmann-6 with its optimum moved by %s on every coordinate (target"
                + " f <= -3.0); before it, `auto` ran cold on Hartmann-6 (commit 1) to the target with the same seed"
                + " index. Trials of commit 2's run to the target, median over the seeds (budget %d); in brackets,"
                + " the seeds that reached it.%n%n| problem |", SHIFT, budget));
        List<TuningBench.Row> mine = rows.stream().filter(r -> r.problem().equals(NAME)).toList();
        for (TuningBench.Row r : mine) {
            md.append(' ').append(column(r)).append(" |");
        }
        md.append("\n|---|").append("---|".repeat(mine.size())).append("\n| ").append(shifted().label()).append(" |");
        for (TuningBench.Row r : mine) {
            md.append(' ').append(r.sampler().equals("auto-warm") ? "**" + r.cell() + "**" : r.cell()).append(" |");
        }
        return md.append('\n').toString();
    }

    private static String column(TuningBench.Row r) {
        return r.side().equals("optuna") ? "Optuna " + r.sampler() + " (cold)"
                : r.sampler().equals("auto-warm") ? "Hone auto, warm-started" : "Hone " + r.sampler() + " (cold)";
    }

    private static StudyResult study(Problem problem, dev.hone.tune.Sampler sampler, int budget) {
        TrialRunner runner = (number, params, diff) -> {
            Map<String, Object> p = params;
            return Trial.succeeded(number, p, problem.evaluate(p), List.of(), 0);
        };
        return new Study(new StudyConfig(problem.space(), budget, 0, 1, null), sampler, null, runner,
                StudyListener.NONE, InstantSource.system()).run();
    }

    private static int reached(StudyResult result, int budget) {
        return result.ending() == StudyResult.Ending.TARGET_REACHED ? result.trials().size() : budget + 1;
    }
}
