package dev.hone.pipeline;

import dev.hone.run.RunStatus;
import dev.hone.spec.Spec;
import dev.hone.store.RunRow;
import dev.hone.store.Store;
import dev.hone.store.TrialRow;
import dev.hone.store.WarmStartRow;
import dev.hone.tune.Prior;
import dev.hone.tune.SearchSpace;
import dev.hone.tune.WarmStart;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code tune.warm_start} for a run: the trials of the project's last {@value #RUNS} earlier runs that ended and were
 * judged by the same metric (name and direction), made into the run's {@link Prior} and recorded on it.
 */
final class WarmStarts {

    /** The earlier runs a run starts from, newest first. */
    static final int RUNS = 5;

    private WarmStarts() {}

    /** The prior of run {@code runId}, recorded on it and said on {@code out}; {@link Prior#NONE} when none. */
    static Prior prepare(Store store, long runId, Spec spec, SearchSpace space, PrintStream out) {
        List<WarmStart.Earlier> earlier = new ArrayList<>();
        for (RunRow run : store.runs(spec.name(), runId, RUNS, 0)) {
            if (run.status() == RunStatus.QUEUED || run.status() == RunStatus.RUNNING || !sameMetric(run, spec)) {
                continue;
            }
            for (TrialRow row : store.trials(run.id())) {
                earlier.add(new WarmStart.Earlier(run.id(), row.trial()));
            }
        }
        Prior prior = WarmStart.prior(space, earlier);
        if (prior.isEmpty() && prior.dropped() == 0) {
            return prior;
        }
        store.recordWarmStart(runId, new WarmStartRow(prior.trials().size(), prior.runs(), prior.dropped()));
        out.println("hone: " + sentence(prior));
        return prior;
    }

    /** "warm start from 12 trials of runs 3, 4: 3 of their best run again first (2 dropped: …)". */
    static String sentence(Prior prior) {
        String dropped = prior.dropped() == 0 ? ""
                : " (" + prior.dropped() + " dropped: they do not fit tune.params as it is now, or are past the"
                + " newest " + WarmStart.MAX_TRIALS + ")";
        if (prior.isEmpty()) {
            return "warm start: no earlier trial fits" + dropped;
        }
        String runs = prior.runs().stream().map(String::valueOf).collect(Collectors.joining(", "));
        return "warm start from " + prior.trials().size() + " trials of run" + (prior.runs().size() == 1 ? " " : "s ")
                + runs + ": " + prior.reevaluate().size() + " of their best run again first" + dropped;
    }

    private static boolean sameMetric(RunRow run, Spec spec) {
        Spec.Metric m = run.metric();
        return m != null && m.name().equals(spec.metric().name()) && m.direction() == spec.metric().direction();
    }
}
