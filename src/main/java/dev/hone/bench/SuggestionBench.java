package dev.hone.bench;

import dev.hone.error.HoneException;
import dev.hone.tune.CategoricalParam;
import dev.hone.tune.Direction;
import dev.hone.tune.FloatParam;
import dev.hone.tune.Param;
import dev.hone.tune.Sampler;
import dev.hone.tune.Samplers;
import dev.hone.tune.SearchSpace;
import dev.hone.tune.Study;
import dev.hone.tune.StudyConfig;
import dev.hone.tune.StudyListener;
import dev.hone.tune.StudyResult;
import dev.hone.tune.Trial;
import dev.hone.tune.TrialRunner;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** How fast a sampler chooses, and how a study runs with parallel trials. */
public final class SuggestionBench {

    private SuggestionBench() {}

    /**
     * Milliseconds of one suggest(n = 1) call with {@code finished} finished trials (and a few more): median, 95th
     * percentile and maximum of the wall time, and the median of the thread's CPU time (what the call costs
     * without the machine's other load).
     */
    record Latency(String sampler, int finished, double medianMs, double maxMs, double p95Ms, double cpuMedianMs) {}

    static Latency latency(String name, Sampler sampler, Problem problem, int finished, int repeats) {
        return latency(name, sampler, problem, randomHistory(problem, finished + repeats), finished, repeats);
    }

    /** {@code count} random points of the problem's space, evaluated. */
    static List<Trial> randomHistory(Problem problem, int count) {
        List<Trial> history = new ArrayList<>();
        for (Map<String, Object> p : Samplers.random(12345).suggest(problem.space(), List.of(), count)) {
            history.add(Trial.succeeded(history.size() + 1, p, problem.evaluate(p), List.of(), 0));
        }
        return history;
    }

    /**
     * The trials a Gaussian-process search (seed 1) chose on the problem, one at a time, past its target: a
     * history crowded around the good regions, as a long study's is (random points are the easy case).
     */
    static List<Trial> searched(Problem problem, int count) {
        List<Trial> history = new ArrayList<>();
        Sampler gp = Samplers.bayes(1);
        while (history.size() < count) {
            Map<String, Object> p = gp.suggest(problem.space(), history, 1).getFirst();
            history.add(Trial.succeeded(history.size() + 1, p, problem.evaluate(p), List.of(), 0));
        }
        return history;
    }

    /**
     * One sampler instance asked as a study asks it: once per trial, at {@code finished − 10} … {@code finished − 1}
     * trials (warm-up, and the fits a sampler keeps from one trial to the next), then timed at {@code finished} …
     * {@code finished + repeats − 1}. {@code history} has at least {@code finished + repeats − 1} trials.
     */
    static Latency latency(String name, Sampler sampler, Problem problem, List<Trial> history, int finished,
                           int repeats) {
        for (int n = finished - 10; n < finished; n++) {
            sampler.suggest(problem.space(), history.subList(0, n), 1);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] ms = new double[repeats];
        double[] cpu = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            List<Trial> h = history.subList(0, finished + i);
            long cpuStart = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            sampler.suggest(problem.space(), h, 1);
            ms[i] = (System.nanoTime() - start) / 1e6;
            cpu[i] = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e6;
        }
        Arrays.sort(ms);
        Arrays.sort(cpu);
        return new Latency(name, finished, ms[repeats / 2], ms[repeats - 1], ms[(int) Math.ceil(0.95 * repeats) - 1],
                cpu[repeats / 2]);
    }

    /** The spaces {@code hone bench suggestion} measures, up to the 20 model coordinates auto gives the GP. */
    static List<Problem> latencySpaces() {
        return List.of(Problem.hartmann6(), Problem.levy8(), Problem.mixed(), levy(20), mixed20());
    }

    /** Levy on [-10, 10]^d: d floats, d model coordinates. */
    static Problem levy(int d) {
        List<Param> params = new ArrayList<>();
        for (int i = 0; i < d; i++) {
            params.add(new FloatParam("x" + i, -10, 10, false));
        }
        return new Problem("levy" + d, d + " floats (Levy-" + d + ")",
                new SearchSpace(params, Direction.MINIMIZE, 5.0), p -> Problem.levy(floats(p, d)));
    }

    /** Two four-way categoricals and 12 floats: 20 model coordinates (a categorical counts one per choice). */
    static Problem mixed20() {
        List<Param> params = new ArrayList<>();
        params.add(new CategoricalParam("a", List.of("p", "q", "r", "s")));
        params.add(new CategoricalParam("b", List.of("p", "q", "r", "s")));
        for (int i = 0; i < 12; i++) {
            params.add(new FloatParam("x" + i, -10, 10, false));
        }
        return new Problem("mixed20", "2 four-way categoricals + 12 floats",
                new SearchSpace(params, Direction.MINIMIZE, 5.0), p -> Problem.levy(floats(p, 12))
                        + List.of("p", "q", "r", "s").indexOf((String) p.get("a"))
                        + 2 * List.of("p", "q", "r", "s").indexOf((String) p.get("b")));
    }

    private static double[] floats(Map<String, Object> p, int d) {
        double[] x = new double[d];
        for (int i = 0; i < d; i++) {
            x[i] = (Double) p.get("x" + i);
        }
        return x;
    }

    /**
     * {@code hone bench suggestion}: per sampler and space, the median, 95th percentile and maximum of
     * {@code repeats} suggest(n = 1) calls with {@code finished} finished trials (random points of the space), as
     * markdown.
     */
    public static String report(List<String> samplers, int finished, int repeats, PrintStream progress) {
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "One `suggest(n = 1)` per trial, as a study"
                + " asks, at %d … %d finished trials (after 10 calls at the trials before); wall-time median / p95"
                + " / max, and in brackets the median of the thread's CPU time, ms. History: random points of the"
                + " space, or the trials a Gaussian-process search chose on it (crowded near the good regions)."
                + "%n%n| sampler | history |", finished, finished + repeats - 1));
        List<Problem> spaces = latencySpaces();
        spaces.forEach(p -> md.append(' ').append(p.label()).append(" |"));
        md.append(System.lineSeparator()).append("|---|---|").append("---|".repeat(spaces.size()))
                .append(System.lineSeparator());
        List<List<Trial>> random = new ArrayList<>();
        List<List<Trial>> searched = new ArrayList<>();
        for (Problem p : spaces) {
            progress.printf(Locale.ROOT, "  histories of %d trials: %s%n", finished + repeats, p.name());
            random.add(randomHistory(p, finished + repeats));
            searched.add(searched(p, finished + repeats));
        }
        for (TuningBench.Contender c : TuningBench.contenders(samplers)) {
            for (String kind : List.of("random", "searched")) {
                md.append("| ").append(c.name()).append(" | ").append(kind).append(" |");
                for (int i = 0; i < spaces.size(); i++) {
                    Problem p = spaces.get(i);
                    List<Trial> history = (kind.equals("random") ? random : searched).get(i);
                    Latency l = latency(c.name(), c.make().make(p, 500, 1), p, history, finished, repeats);
                    progress.printf(Locale.ROOT, "  %-17s %-8s %-10s median %.1f ms  p95 %.1f  max %.1f  cpu %.1f%n",
                            c.name(), kind, p.name(), l.medianMs(), l.p95Ms(), l.maxMs(), l.cpuMedianMs());
                    md.append(String.format(Locale.ROOT, " %.1f / %.1f / %.1f (%.1f) |", l.medianMs(), l.p95Ms(),
                            l.maxMs(), l.cpuMedianMs()));
                }
                md.append(System.lineSeparator());
            }
        }
        return md.toString();
    }

    /** A study with {@code parallel} trials at once: trials to target, most trials seen running at once, repeats. */
    record Parallel(int trials, boolean reached, int maxRunning, int repeated) {}

    static Parallel parallel(Problem problem, Sampler sampler, int budget, int parallel) {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        TrialRunner runner = (number, params, diff) -> {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.sleep(new SplittableRandom(number).nextInt(2, 12)); // trials take different times
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running.decrementAndGet();
            }
            return Trial.succeeded(number, params, problem.evaluate(params), List.of(), 0);
        };
        StudyResult result = new Study(new StudyConfig(problem.space(), budget, 0, parallel, null), sampler, null,
                runner, StudyListener.NONE, InstantSource.system()).run();
        if (result.ending() != StudyResult.Ending.TARGET_REACHED
                && result.ending() != StudyResult.Ending.BUDGET_SPENT) {
            throw new HoneException("parallel benchmark study ended " + result.ending());
        }
        Set<Map<String, Object>> seen = new HashSet<>();
        int repeated = 0;
        for (Trial t : result.trials()) {
            if (!seen.add(t.params())) {
                repeated++;
            }
        }
        boolean reached = result.ending() == StudyResult.Ending.TARGET_REACHED;
        int trials = reached ? result.trials().stream().filter(Trial::hasValue)
                .filter(t -> problem.space().direction().reaches(t.value(), problem.space().target()))
                .mapToInt(Trial::number).min().orElse(budget + 1) : budget + 1;
        return new Parallel(trials, reached, maxRunning.get(), repeated);
    }
}
