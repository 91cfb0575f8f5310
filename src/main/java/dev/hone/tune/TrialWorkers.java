package dev.hone.tune;

import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Where a study's trials and rebuilds run: one virtual thread each. It shields the study from a collaborator's bugs:
 * a runner that throws or returns nothing gives a FAILED trial, a rebuilder that throws a failed rebuild.
 */
final class TrialWorkers implements AutoCloseable {

    private final TrialRunner runner;
    private final InstantSource clock;
    private final ExecutorService threads =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("hone-trial-", 1).factory());
    private volatile boolean stopping;

    TrialWorkers(TrialRunner runner, InstantSource clock) {
        this.runner = runner;
        this.clock = clock;
    }

    void submit(Runnable task) {
        threads.execute(task);
    }

    /** The study has stopped: trials not started yet come back KILLED without running. */
    void stopping() {
        stopping = true;
    }

    /**
     * Runs one trial ({@code seed} null: with the run's seed); the result always carries the number, parameters and
     * diff the study gave it.
     */
    Trial runTrial(int number, Map<String, Object> params, String diff, Long seed) {
        long start = clock.millis();
        if (stopping) {
            return ended(number, params, diff, TrialState.KILLED, 0, "the study stopped before the trial started");
        }
        try {
            Trial t = seed == null ? runner.run(number, params, diff) : runner.run(number, params, diff, seed);
            if (t == null) {
                return ended(number, params, diff, TrialState.FAILED, clock.millis() - start,
                        "trial runner returned no trial (a bug in Hone)");
            }
            if (!t.state().finished()) {
                return ended(number, params, diff, TrialState.FAILED, clock.millis() - start,
                        "trial runner returned a trial still running (a bug in Hone)");
            }
            return new Trial(number, params, t.state(), t.value(),
                    t.intermediate() == null ? List.of() : t.intermediate(), t.exitCode(), t.durationMs(),
                    t.error(), diff, t.metrics(), t.resources());
        } catch (Throwable e) {
            return ended(number, params, diff, TrialState.FAILED, clock.millis() - start,
                    "trial runner failed: " + e);
        }
    }

    Rebuilder.Outcome rebuild(Rebuilder rebuilder, List<Trial> history) {
        try {
            Rebuilder.Outcome outcome = rebuilder.rebuild(history);
            return outcome != null ? outcome
                    : new Rebuilder.Failed("rebuild returned no outcome (a bug in Hone)", List.of());
        } catch (Throwable e) {
            return new Rebuilder.Failed("rebuild failed: " + e, List.of());
        }
    }

    private static Trial ended(int number, Map<String, Object> params, String diff, TrialState state,
                               long durationMs, String error) {
        return Trial.running(number, params, diff).ended(state, error, Math.max(0, durationMs));
    }

    /** Does not wait: a trial that ignores cancellation is left to finish on its own. */
    @Override
    public void close() {
        threads.shutdownNow();
    }
}
