package dev.hone.bench;

import dev.hone.error.HoneException;
import dev.hone.tune.Sampler;
import dev.hone.tune.Samplers;
import dev.hone.tune.Study;
import dev.hone.tune.StudyConfig;
import dev.hone.tune.StudyListener;
import dev.hone.tune.StudyResult;
import dev.hone.tune.Trial;
import dev.hone.tune.TrialRunner;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** How fast a sampler chooses, and how a study runs with parallel trials. */
final class SuggestionBench {

    private SuggestionBench() {}

    /** Median and maximum milliseconds of one suggest(n = 1) call with {@code finished} finished trials. */
    record Latency(String sampler, int finished, double medianMs, double maxMs) {}

    static Latency latency(String name, Sampler sampler, Problem problem, int finished, int repeats) {
        List<Trial> history = new ArrayList<>();
        Sampler filler = Samplers.random(12345);
        for (Map<String, Object> p : filler.suggest(problem.space(), List.of(), finished)) {
            history.add(Trial.succeeded(history.size() + 1, p, problem.evaluate(p), List.of(), 0));
        }
        for (int i = 0; i < 10; i++) {
            sampler.suggest(problem.space(), history, 1); // warm-up (JIT)
        }
        double[] ms = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            List<Trial> h = history.subList(0, finished - (i % 2)); // 200 or 199 finished trials
            long start = System.nanoTime();
            sampler.suggest(problem.space(), h, 1);
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        return new Latency(name, finished, ms[repeats / 2], ms[repeats - 1]);
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
