package dev.hone.bench;

import dev.hone.tune.Confirm;
import dev.hone.tune.Direction;
import dev.hone.tune.FloatParam;
import dev.hone.tune.Samplers;
import dev.hone.tune.SearchSpace;
import dev.hone.tune.Strategy;
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
import java.util.SplittableRandom;

/**
 * The noisy problem of {@code hone bench tuning}: Branin plus Gaussian noise (sd {@value #NOISE}) drawn from the
 * trial's seed and parameters, as a training program seeded with {@code HONE_SEED} would give; the target, f ≤
 * {@value #TARGET}, is easy to reach for real near the optimum (0.398) and by luck from points up to a metre above
 * it. Per seed of the study: the trials until it stopped (repeats included), and whether the trial it stopped on
 * reaches the target without noise (a real success) or not (a false one). Hone's auto with and without
 * {@code metric.confirm: {repeats: 3, aggregate: mean}}; Optuna's side runs the same problem (its own noise draws)
 * in {@code bench/optuna_side.py}, plain and with the same confirmation done by a callback.
 */
final class NoisyBench {

    static final String NAME = "noisy_branin";
    static final double NOISE = 0.5;
    static final double TARGET = 1.0;
    static final Confirm CONFIRM = new Confirm(3, Confirm.Aggregate.MEAN);

    /** One sampler, with or without confirmation, over the seeds: trials to the stop and whether the stop was false. */
    record Row(String side, String sampler, boolean confirm, List<Integer> trials, List<Boolean> falseStops,
               int budget) {

        String cells() {
            TuningBench.Row r = new TuningBench.Row(NAME, side, sampler, trials, budget);
            long falses = falseStops.stream().filter(b -> b).count();
            long real = r.hits() - falses;
            return String.format(Locale.ROOT, "| %s %s | %s | %s | %d/%d | %d/%d |", side.equals("hone") ? "Hone"
                            : "Optuna", sampler, confirm ? "mean of 3" : "none", TuningBench.format(r.median()), falses,
                    trials.size(), real, trials.size());
        }
    }

    static SearchSpace space() {
        return new SearchSpace(List.of(new FloatParam("x", -5, 10, false), new FloatParam("y", 0, 15, false)),
                Direction.MINIMIZE, TARGET);
    }

    /** Branin at {@code params} plus noise drawn from {@code seed} and the parameters. */
    static double noisy(Map<String, Object> params, long seed) {
        double x = (Double) params.get("x");
        double y = (Double) params.get("y");
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L
                ^ Double.doubleToLongBits(x) * 31 ^ Double.doubleToLongBits(y));
        double gaussian = Math.sqrt(-2 * Math.log(1 - random.nextDouble()))
                * Math.cos(2 * Math.PI * random.nextDouble());
        return Problem.branin(x, y) + NOISE * gaussian;
    }

    private final PrintStream progress;

    NoisyBench(PrintStream progress) {
        this.progress = progress;
    }

    /** Hone's auto on the noisy problem for seeds 0..seeds-1, with and without confirmation. */
    List<Row> run(int seeds, int budget) {
        List<Row> rows = new ArrayList<>();
        for (boolean confirm : List.of(false, true)) {
            List<Integer> trials = new ArrayList<>();
            List<Boolean> falses = new ArrayList<>();
            for (int seed = 0; seed < seeds; seed++) {
                long trialSeed = 1000L + seed;
                TrialRunner runner = new TrialRunner() {
                    @Override
                    public Trial run(int number, Map<String, Object> params, String diff) {
                        return run(number, params, diff, trialSeed);
                    }

                    @Override
                    public Trial run(int number, Map<String, Object> params, String diff, long s) {
                        return Trial.succeeded(number, params, noisy(params, s), List.of(), 0);
                    }
                };
                StudyConfig config = new StudyConfig(space(), budget, 0, 1, null)
                        .confirming(confirm ? CONFIRM : null, trialSeed);
                StudyResult result = new Study(config, Samplers.forStrategy(Strategy.AUTO, space(), budget, seed),
                        null, runner, StudyListener.NONE, InstantSource.system()).run();
                boolean reached = result.ending() == StudyResult.Ending.TARGET_REACHED;
                trials.add(reached ? result.trials().size() : budget + 1);
                Trial stop = !reached ? null : confirm
                        ? result.trials().get(result.confirmations().getLast().trial() - 1)
                        : result.trials().getLast();
                falses.add(stop != null && Problem.branin(stop.params()) > TARGET);
            }
            Row row = new Row("hone", "auto", confirm, trials, falses, budget);
            progress.printf(Locale.ROOT, "  hone   %-12s auto confirm=%-5s median_trials=%6s false_stops=%d all=%s"
                    + " false=%s%n", NAME, confirm, TuningBench.format(new TuningBench.Row(NAME, "hone", "auto",
                    trials, budget).median()), falses.stream().filter(b -> b).count(), trials, falses);
            rows.add(row);
        }
        return rows;
    }

    /** The section of the report: a line per sampler and confirmation. */
    static String table(List<Row> rows, int seeds, int budget, String command) {
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "%n### A noisy objective%n%nBranin + N(0, %.1f²)"
                + " noise drawn from the trial's seed and parameters, target f ≤ %.1f (optimum 0.398), %d seeds, budget"
                + " %d. \"Trials\": median trials until the study stopped on the target, repeats included (budget + 1"
                + " when it did not stop). \"False stops\": runs that stopped on a trial whose value without noise"
                + " misses the target. \"Real successes\": runs that stopped on one that reaches it. `%s --problems"
                + " noisy`.%n%n"
                + "| sampler | confirmation | trials | false stops | real successes |%n|---|---|---|---|---|%n",
                NOISE, TARGET, seeds, budget, command));
        for (Row r : rows) {
            md.append(r.cells()).append('\n');
        }
        return md.toString();
    }
}
