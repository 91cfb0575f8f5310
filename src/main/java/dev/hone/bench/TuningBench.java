package dev.hone.bench;

import dev.hone.error.HoneException;
import dev.hone.tune.Direction;
import dev.hone.tune.Pruners;
import dev.hone.tune.Sampler;
import dev.hone.tune.Samplers;
import dev.hone.tune.Strategy;
import dev.hone.tune.Study;
import dev.hone.tune.StudyConfig;
import dev.hone.tune.StudyListener;
import dev.hone.tune.StudyResult;
import dev.hone.tune.Trial;
import dev.hone.tune.TrialRunner;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Trials to reach a target, Hone's samplers against Optuna's: each problem × sampler × seed is a real
 * {@link Study} (parallel 1, budget {@code budget}) whose trials evaluate the objective in-process; the figure is
 * the number of the first trial that reached the target (budget + 1 when none did), and the row reports its median
 * over the seeds and how many seeds reached the target. Same definitions as {@code shared/bench/optuna_anchor.py}.
 */
public final class TuningBench {

    /** A sampler under test, made from a seed (and the problem's budget, for auto). */
    record Contender(String name, Factory make) {}

    @FunctionalInterface
    interface Factory {
        Sampler make(Problem problem, int budget, long seed);
    }

    /** One line of the table: a sampler on a problem over the seeds. */
    public record Row(String problem, String side, String sampler, List<Integer> trials, int budget) {

        public double median() {
            List<Integer> sorted = trials.stream().sorted().toList();
            int n = sorted.size();
            return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
        }

        public int hits() {
            return (int) trials.stream().filter(t -> t <= budget).count();
        }

        /** "64.5 (9/10)", or ">150 (1/10)" when the median seed never reached the target. */
        public String cell() {
            String m = median() > budget ? ">" + budget : format(median());
            return m + " (" + hits() + "/" + trials.size() + ")";
        }
    }

    static final List<Contender> HONE = List.of(
            new Contender("random", (p, b, s) -> Samplers.random(s)),
            new Contender("tpe", (p, b, s) -> Samplers.tpe(s, false)),
            new Contender("tpe-multivariate", (p, b, s) -> Samplers.tpe(s, true)),
            new Contender("bayes", (p, b, s) -> Samplers.bayes(s)),
            new Contender("auto", (p, b, s) -> Samplers.forStrategy(Strategy.AUTO, p.space(), b, s)));

    /**
     * What {@code hone bench tuning} runs.
     *
     * @param problems among branin, hartmann6, svc_digits, mixed, levy8, noisy (a section of its own), conditional,
     *                 warm_hartmann6 (the warm start's, {@link WarmStartBench}: a table of its own)
     * @param samplers Hone's samplers among random, tpe, tpe-multivariate, bayes, auto
     * @param optunaScript bench/optuna_side.py, run for Optuna's side; null: Hone's side only
     * @param extras also the suggestion latency, parallel and early-stopping sections
     */
    public record Options(int seeds, int budget, List<String> problems, List<String> samplers, Path optunaScript,
                          boolean extras) {}

    public static final List<String> PROBLEMS = List.of("branin", "hartmann6", "svc_digits", "mixed", "levy8",
            "noisy", "conditional", WarmStartBench.NAME);
    public static final List<String> SAMPLERS = List.of("random", "tpe", "tpe-multivariate", "bayes", "auto");

    private final PrintStream progress;

    public TuningBench(PrintStream progress) {
        this.progress = progress;
    }

    /** Runs the benchmark and returns its report (markdown); progress lines go to the progress stream. */
    public String report(Options o) {
        long start = System.nanoTime();
        OptunaSide optuna = o.optunaScript() == null ? null
                : OptunaSide.start(o.optunaScript(), o.seeds(), o.budget(), o.problems());
        boolean done = false;
        try (SvcDigits svc = o.problems().contains("svc_digits") ? SvcDigits.start() : null) {
            List<Problem> problems = new ArrayList<>();
            for (String name : o.problems().stream()
                    .filter(n -> !n.equals("noisy") && !n.equals(WarmStartBench.NAME)).toList()) {
                problems.add(switch (name) {
                    case "branin" -> Problem.branin();
                    case "hartmann6" -> Problem.hartmann6();
                    case "svc_digits" -> svc.problem();
                    case "mixed" -> Problem.mixed();
                    case "levy8" -> Problem.levy8();
                    case "conditional" -> Problem.conditional();
                    default -> throw new HoneException("unknown problem " + name + "; known: " + PROBLEMS);
                });
            }
            List<Contender> contenders = contenders(o.samplers());
            List<Row> rows = new ArrayList<>();
            progress.println("Hone's side (Optuna's runs beside it when asked):");
            for (Problem p : problems) {
                rows.addAll(run(p, contenders, o.seeds(), o.budget()));
            }
            List<NoisyBench.Row> noisy = new ArrayList<>(o.problems().contains("noisy")
                    ? new NoisyBench(progress).run(o.seeds(), o.budget()) : List.of());
            if (o.problems().contains(WarmStartBench.NAME)) {
                rows.addAll(new WarmStartBench(progress).run(o.seeds(), o.budget()));
            }
            StringBuilder md = new StringBuilder();
            String command = "hone bench tuning --seeds " + o.seeds() + " --budget " + o.budget()
                    + (optuna != null ? " --optuna" : "");
            if (optuna != null) {
                progress.println("waiting for Optuna's side…");
                rows.addAll(optuna.rows());
                done = true;
            }
            if (!problems.isEmpty()) {
                md.append(String.format(Locale.ROOT, "### Trials to reach the target%n%nMedian over %d seeds (0..%d) of"
                    + " the number of the first trial that reached the target, budget %d (a seed that never got"
                    + " there counts %d); in brackets, the seeds that reached it. `%s`.%n%n", o.seeds(),
                    o.seeds() - 1, o.budget(), o.budget() + 1, command));
                md.append(table(problems, rows));
            }
            if (o.problems().contains("noisy")) {
                if (optuna != null) {
                    noisy.addAll(0, optuna.noisyRows());
                }
                md.append(NoisyBench.table(noisy, o.seeds(), o.budget(), command));
            }
            if (o.problems().contains(WarmStartBench.NAME)) {
                md.append(WarmStartBench.table(rows, o.budget()));
            }
            if (o.extras()) {
                md.append(extras(o, contenders));
            }
            md.append(String.format(Locale.ROOT, "%nWhole run: %.0f s.%n", (System.nanoTime() - start) / 1e9));
            return md.toString();
        } finally {
            if (optuna != null && !done) {
                optuna.kill();
            }
        }
    }

    private String extras(Options o, List<Contender> contenders) {
        StringBuilder md = new StringBuilder();
        progress.println("suggestion latency, 200 finished trials:");
        md.append(String.format(Locale.ROOT, "%n### Choosing the next trial%n%nOne `suggest(n = 1)` per trial at 200 … 220"
                + " finished trials (random points of the problem), after 10 calls at the trials before, this"
                + " machine (`hone bench suggestion` for up to 20 coordinates).%n%n"
                + "| sampler | Hartmann-6 (6 floats): median ms | max ms | Branin (2 floats): median ms | max ms |%n"
                + "|---|---|---|---|---|%n"));
        for (Contender c : contenders) {
            var h6 = SuggestionBench.latency(c.name(), c.make().make(Problem.hartmann6(), o.budget(), 1),
                    Problem.hartmann6(), 200, 21);
            var br = SuggestionBench.latency(c.name(), c.make().make(Problem.branin(), o.budget(), 1),
                    Problem.branin(), 200, 21);
            progress.printf(Locale.ROOT, "  %-17s hartmann6 %.1f ms (max %.1f)  branin %.1f ms (max %.1f)%n", c.name(),
                    h6.medianMs(), h6.maxMs(), br.medianMs(), br.maxMs());
            md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f |%n", c.name(), h6.medianMs(),
                    h6.maxMs(), br.medianMs(), br.maxMs()));
        }
        progress.println("parallel: 4, strategy auto:");
        md.append(String.format(Locale.ROOT, "%n### Parallel trials%n%n`parallel: 4`, strategy auto, %d seeds,"
                + " budget %d; each trial sleeps 2–11 ms so that trials overlap and finish out of order.%n%n"
                + "| problem | median trials to target | reached | most trials running at once | repeated parameter"
                + " sets |%n|---|---|---|---|---|%n", o.seeds(), o.budget()));
        for (Problem p : List.of(Problem.branin(), Problem.hartmann6())) {
            List<Integer> trials = new ArrayList<>();
            int reached = 0;
            int maxRunning = 0;
            int repeated = 0;
            for (int seed = 0; seed < o.seeds(); seed++) {
                var r = SuggestionBench.parallel(p, Samplers.forStrategy(Strategy.AUTO, p.space(), o.budget(), seed),
                        o.budget(), 4);
                trials.add(r.trials());
                reached += r.reached() ? 1 : 0;
                maxRunning = Math.max(maxRunning, r.maxRunning());
                repeated += r.repeated();
            }
            Row row = new Row(p.name(), "hone", "auto", trials, o.budget());
            progress.printf(Locale.ROOT, "  %-10s median_trials=%s reached=%d/%d max_running=%d repeated=%d all=%s%n",
                    p.name(), format(row.median()), reached, o.seeds(), maxRunning, repeated, trials);
            md.append(String.format(Locale.ROOT, "| %s | %s | %d/%d | %d | %d |%n", p.label(), format(row.median()),
                    reached, o.seeds(), maxRunning, repeated));
        }
        progress.println("early stopping (synthetic learning curves):");
        PruningBench pruning = new PruningBench(progress);
        md.append(String.format(Locale.ROOT, "%n### Early stopping%n%nTraining steps until a trial reached the"
                + " target on the synthetic learning-curve problem (%d steps per full trial, loss(step) ="
                + " branin(x, y) + 10·exp(−step/τ), τ = 4 + 4·y/15, target final loss ≤ %.2f), median over %d"
                + " seeds,"
                + " budget %d trials. ASHA: min_steps 1, η = 3; median rule: min_steps 1.%n%n"
                + "| sampler | early stopping | median steps | steps vs none | median trials | reached |%n"
                + "|---|---|---|---|---|---|%n", PruningBench.MAX_STEPS, PruningBench.TARGET, o.seeds(),
                o.budget()));
        for (String s : List.of("tpe", "auto")) {
            LongFunction<Sampler> make = s.equals("tpe") ? seed -> Samplers.tpe(seed, false)
                    : seed -> Samplers.forStrategy(Strategy.AUTO, PruningBench.space(), o.budget(), seed);
            var none = pruning.run(s, make, "none", seed -> Pruners.none(), o.seeds(), o.budget());
            var asha = pruning.run(s, make, "asha", seed -> Pruners.asha(1, Pruners.ETA,
                    Direction.MINIMIZE), o.seeds(), o.budget());
            var median = pruning.run(s, make, "median", seed -> Pruners.median(1, Direction.MINIMIZE), o.seeds(),
                    o.budget());
            for (var r : List.of(none, asha, median)) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f | %s | %d/%d |%n", s, r.pruner(),
                        format(r.medianSteps()), r.medianSteps() / none.medianSteps(), format(r.medianTrials()),
                        r.hits(), o.seeds()));
            }
        }
        return md.toString();
    }

    /** Runs every Hone sampler on {@code problem} for seeds 0..seeds-1. */
    List<Row> run(Problem problem, List<Contender> contenders, int seeds, int budget) {
        List<Row> rows = new ArrayList<>();
        for (Contender c : contenders) {
            List<Integer> trials = new ArrayList<>();
            for (int seed = 0; seed < seeds; seed++) {
                trials.add(trialsToTarget(problem, c.make().make(problem, budget, seed), budget));
            }
            Row row = new Row(problem.name(), "hone", c.name(), trials, budget);
            progress.printf(Locale.ROOT, "  hone   %-10s %-17s median_trials=%6s reached=%d/%d all=%s%n",
                    problem.name(), c.name(), format(row.median()), row.hits(), seeds, trials);
            rows.add(row);
        }
        return rows;
    }

    /** The number of the first trial that reached the target, or budget + 1. */
    static int trialsToTarget(Problem problem, Sampler sampler, int budget) {
        TrialRunner runner = (number, params, diff) -> {
            double v = problem.evaluate(params);
            return Trial.succeeded(number, params, v, List.of(), 0);
        };
        StudyConfig config = new StudyConfig(problem.space(), budget, 0, 1, null);
        StudyResult result = new Study(config, sampler, null, runner, StudyListener.NONE, InstantSource.system())
                .run();
        if (result.ending() == StudyResult.Ending.TARGET_REACHED) {
            return result.trials().size();
        }
        if (result.ending() != StudyResult.Ending.BUDGET_SPENT) {
            throw new HoneException("benchmark study on " + problem.name() + " ended " + result.ending() + ": "
                    + result.detail());
        }
        return budget + 1;
    }

    static String format(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    /** The side-by-side markdown table: a row per problem, a column per sampler of each side. */
    static String table(List<Problem> problems, List<Row> rows) {
        List<String> optuna = rows.stream().filter(r -> r.side().equals("optuna")).map(Row::sampler).distinct()
                .toList();
        List<String> hone = rows.stream().filter(r -> r.side().equals("hone")).map(Row::sampler).distinct()
                .toList();
        StringBuilder s = new StringBuilder("| problem (target) |");
        optuna.forEach(o -> s.append(" Optuna ").append(o).append(" |"));
        hone.forEach(h -> s.append(" Hone ").append(h).append(" |"));
        if (!optuna.isEmpty() && hone.contains("auto")) {
            s.append(" Hone auto / best Optuna |");
        }
        s.append('\n').append("|---|").append("---|".repeat(optuna.size() + hone.size()));
        if (!optuna.isEmpty() && hone.contains("auto")) {
            s.append("---|");
        }
        s.append('\n');
        for (Problem p : problems) {
            Map<String, Row> byKey = new LinkedHashMap<>();
            rows.stream().filter(r -> r.problem().equals(p.name()))
                    .forEach(r -> byKey.put(r.side() + "/" + r.sampler(), r));
            s.append("| ").append(p.label()).append(" |");
            for (String o : optuna) {
                Row r = byKey.get("optuna/" + o);
                s.append(' ').append(r == null ? "—" : r.cell()).append(" |");
            }
            for (String h : hone) {
                Row r = byKey.get("hone/" + h);
                String cell = r == null ? "—" : r.cell();
                s.append(' ').append(h.equals("auto") ? "**" + cell + "**" : cell).append(" |");
            }
            if (!optuna.isEmpty() && hone.contains("auto")) {
                Row auto = byKey.get("hone/auto");
                double bestOptuna = optuna.stream().map(o -> byKey.get("optuna/" + o))
                        .filter(r -> r != null).mapToDouble(Row::median).min().orElse(Double.NaN);
                s.append(auto == null || Double.isNaN(bestOptuna) ? " —" : String.format(Locale.ROOT, " %.2f",
                        auto.median() / bestOptuna)).append(" |");
            }
            s.append('\n');
        }
        return s.toString();
    }

    static List<Contender> contenders(List<String> names) {
        List<Contender> out = new ArrayList<>();
        for (String n : names) {
            out.add(HONE.stream().filter(c -> c.name().equals(n)).findFirst().orElseThrow(
                    () -> new HoneException("unknown sampler " + n + "; known: "
                            + HONE.stream().map(Contender::name).toList())));
        }
        return out;
    }
}
