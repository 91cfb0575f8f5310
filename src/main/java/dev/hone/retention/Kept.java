package dev.hone.retention;

import dev.hone.run.RunStatus;
import dev.hone.spec.Spec;
import dev.hone.spec.SpecLoader;
import dev.hone.store.RunRow;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The trials kept whatever their age, worked out from the runs in the store (newest first): each project's best
 * trial, and the trial each project serves.
 */
final class Kept {

    private Kept() {}

    /**
     * Each project's best trial: of the runs judged by the metric its newest run is judged by (same name and
     * direction), the one whose best value is best (the newest of equals).
     */
    static Set<Sweeper.TrialRef> best(List<RunRow> newestFirst, Map<String, String> env) {
        Map<String, Spec.Metric> judgedBy = new HashMap<>();
        Map<String, RunRow> best = new HashMap<>();
        for (RunRow run : newestFirst) {
            Optional<Spec.Metric> metric = metric(run, env);
            if (metric.isEmpty()) {
                continue;
            }
            Spec.Metric reference = judgedBy.computeIfAbsent(run.project(), p -> metric.get());
            if (run.bestTrial() == null || run.bestValue() == null || !reference.name().equals(metric.get().name())
                    || reference.direction() != metric.get().direction()) {
                continue;
            }
            best.merge(run.project(), run, (kept, older) ->
                    reference.direction().better(older.bestValue(), kept.bestValue()) ? older : kept);
        }
        Set<Sweeper.TrialRef> trials = new HashSet<>();
        best.values().forEach(run -> trials.add(new Sweeper.TrialRef(run.id(), run.bestTrial())));
        return trials;
    }

    /**
     * The trial each project serves, as the store tells it: the best trial of its newest run that reached its
     * target with {@code serve:} in its spec (or whose spec no longer loads, so it may have had one).
     */
    static Set<Sweeper.TrialRef> served(List<RunRow> newestFirst, Map<String, String> env) {
        Set<String> found = new HashSet<>();
        Set<Sweeper.TrialRef> trials = new HashSet<>();
        for (RunRow run : newestFirst) {
            if (run.status() != RunStatus.TARGET_REACHED || run.bestTrial() == null || found.contains(run.project())) {
                continue;
            }
            boolean serves = SpecLoader.snapshot(run.specYaml(), run.project(), env).map(s -> s.serve() != null)
                    .orElse(true);
            if (serves) {
                found.add(run.project());
                trials.add(new Sweeper.TrialRef(run.id(), run.bestTrial()));
            }
        }
        return trials;
    }

    private static Optional<Spec.Metric> metric(RunRow run, Map<String, String> env) {
        return run.metric() != null ? Optional.of(run.metric())
                : SpecLoader.snapshot(run.specYaml(), run.project(), env).map(Spec::metric);
    }
}
