package dev.hone.bench;

import dev.hone.error.HoneException;
import dev.hone.metrics.MetricPoint;
import dev.hone.tune.Direction;
import dev.hone.tune.FloatParam;
import dev.hone.tune.Pruner;
import dev.hone.tune.Sampler;
import dev.hone.tune.SearchSpace;
import dev.hone.tune.Study;
import dev.hone.tune.StudyConfig;
import dev.hone.tune.StudyListener;
import dev.hone.tune.StudyResult;
import dev.hone.tune.Trial;
import dev.hone.tune.TrialRunner;
import java.io.PrintStream;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.function.LongFunction;

/**
 * Training steps spent to reach a target with and without early stopping, on a synthetic learning-curve problem:
 * a trial with parameters (x, y) trains {@value #MAX_STEPS} steps and reports its loss at each,
 * {@code loss(step) = branin(x, y) + 10·exp(−step / τ)}, τ = 4 + 4·y/15 (so the early ranking of trials is only
 * roughly their final ranking); the target is a final loss ≤ 0.45. Each trial reports step by step to the study's
 * pruner and stops at once when it says so (recorded PRUNED, as the pipeline does). The figure is the total number
 * of steps trained until a trial reached the target.
 */
public final class PruningBench {

    static final int MAX_STEPS = 81; // 3⁴: ASHA's rungs at 1, 3, 9, 27
    static final double TARGET = 0.45;

    /** One configuration over the seeds: steps and trials until the target (or the whole budget), hits. */
    public record Row(String sampler, String pruner, List<Long> steps, List<Integer> trials, int hits) {

        public double medianSteps() {
            return median(steps.stream().map(Long::doubleValue).toList());
        }

        public double medianTrials() {
            return median(trials.stream().map(Integer::doubleValue).toList());
        }
    }

    private final PrintStream progress;

    public PruningBench(PrintStream progress) {
        this.progress = progress;
    }

    static SearchSpace space() {
        return new SearchSpace(List.of(new FloatParam("x", -5, 10, false), new FloatParam("y", 0, 15, false)),
                Direction.MINIMIZE, TARGET);
    }

    static double loss(double x, double y, long step) {
        double tau = 4 + 4 * y / 15;
        return Problem.branin(x, y) + 10 * Math.exp(-step / tau);
    }

    Row run(String samplerName, LongFunction<Sampler> sampler, String prunerName, IntFunction<Pruner> pruner,
            int seeds, int budget) {
        List<Long> steps = new ArrayList<>();
        List<Integer> trials = new ArrayList<>();
        int hits = 0;
        for (int seed = 0; seed < seeds; seed++) {
            Pruner p = pruner.apply(seed);
            AtomicLong spent = new AtomicLong();
            TrialRunner runner = (number, params, diff) -> train(number, params, p, spent);
            StudyResult result = new Study(new StudyConfig(space(), budget, 0, 1, null), sampler.apply(seed), null,
                    runner, StudyListener.NONE, InstantSource.system()).run();
            if (result.ending() == StudyResult.Ending.TARGET_REACHED) {
                hits++;
            } else if (result.ending() != StudyResult.Ending.BUDGET_SPENT) {
                throw new HoneException("pruning benchmark study ended " + result.ending() + ": " + result.detail());
            }
            steps.add(spent.get());
            trials.add(result.trials().size());
        }
        Row row = new Row(samplerName, prunerName, steps, trials, hits);
        progress.printf(Locale.ROOT, "  %-8s %-7s median_steps=%8.1f median_trials=%6.1f reached=%d/%d steps=%s%n",
                samplerName, prunerName, row.medianSteps(), row.medianTrials(), hits, seeds, steps);
        return row;
    }

    private static Trial train(int number, Map<String, Object> params, Pruner pruner, AtomicLong spent) {
        double x = (Double) params.get("x");
        double y = (Double) params.get("y");
        List<MetricPoint> curve = new ArrayList<>();
        Trial trial = null;
        for (long step = 1; step <= MAX_STEPS; step++) {
            double v = loss(x, y, step);
            spent.incrementAndGet();
            curve.add(new MetricPoint(step, v));
            if (step < MAX_STEPS && pruner.report(number, step, v)) {
                trial = Trial.running(number, params).pruned(List.copyOf(curve), 0, "pruned at step " + step);
                break;
            }
        }
        if (trial == null) {
            trial = Trial.succeeded(number, params, curve.getLast().value(), List.copyOf(curve), 0);
        }
        pruner.finished(trial);
        return trial;
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
