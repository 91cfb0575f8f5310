package dev.hone.pipeline;

import dev.hone.spec.InvalidSpecException;
import dev.hone.spec.Spec;
import dev.hone.tune.CategoricalParam;
import dev.hone.tune.Param;
import dev.hone.tune.Strategy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Applies {@code hone run}'s flags over {@code hone.yaml}, checked like the file's own values. */
final class Overrides {

    private Overrides() {}

    static Spec apply(Spec spec, RunRequest r) {
        Spec.Environment e = spec.environment();
        if (r.executor() != null) {
            e = new Spec.Environment(r.executor(), e.image(), e.dockerfile(), e.cpus(), e.memoryBytes(), e.network(),
                    e.gpus(), e.kubernetes(), e.slurm());
        }
        Spec.Metric m = spec.metric();
        if (r.target() != null) {
            if (!Double.isFinite(r.target())) {
                throw flag("--target", "must be a finite number, got " + r.target());
            }
            m = m.withTarget(r.target());
        }
        Spec.Tune t = spec.tune();
        int maxTrials = t.maxTrials();
        int parallel = t.parallel();
        Long seed = r.seed() != null ? r.seed() : t.seed();
        if (r.maxTrials() != null) {
            if (r.maxTrials() < 1) {
                throw flag("--max-trials", "must be at least 1, got " + r.maxTrials());
            }
            maxTrials = r.maxTrials();
        }
        if (r.parallel() != null) {
            if (r.parallel() < 1) {
                throw flag("--parallel", "must be at least 1, got " + r.parallel());
            }
            parallel = r.parallel();
        }
        t = new Spec.Tune(t.strategy(), t.params(), maxTrials, t.maxFailedTrials(), parallel, t.timeout(), seed,
                t.rebuild(), t.earlyStopping(), t.giveUpBelow(), t.warmStart());
        Spec overridden = new Spec(spec.name(), spec.train(), e, m, t, spec.notifications(), spec.serve(), spec.data());
        return r.fixed() == null ? overridden : fixed(overridden, r.fixed());
    }

    /**
     * One trial with exactly {@code values} (each a one-choice parameter of a grid, those the spec no longer declares
     * too), no target, no rebuild program, no early stopping, nothing served, nobody notified.
     */
    private static Spec fixed(Spec spec, Map<String, Object> values) {
        List<Param> params = new ArrayList<>();
        values.forEach((name, value) -> params.add(new CategoricalParam(name, Collections.singletonList(value))));
        Spec.Metric m = spec.metric();
        Spec.Tune one = new Spec.Tune(params.isEmpty() ? Strategy.AUTO : Strategy.GRID, params, 1, 1, 1,
                spec.tune().timeout(), spec.tune().seed(), null, null, null, false);
        return new Spec(spec.name(), spec.train(), spec.environment(), m.withTarget(null), one,
                new Spec.Notify(List.of(), null, null, null), null, spec.data());
    }

    /** {@code spec} searching {@code params} instead of its own (a re-run's changes, {@link Rerun}). */
    static Spec withParams(Spec spec, List<Param> params) {
        Spec.Tune t = spec.tune();
        return new Spec(spec.name(), spec.train(), spec.environment(), spec.metric(), new Spec.Tune(t.strategy(),
                List.copyOf(params), t.maxTrials(), t.maxFailedTrials(), t.parallel(), t.timeout(), t.seed(),
                t.rebuild(), t.earlyStopping(), t.giveUpBelow(), t.warmStart()), spec.notifications(), spec.serve(),
                spec.data());
    }

    private static InvalidSpecException flag(String flag, String message) {
        return InvalidSpecException.of("command line", flag, message);
    }
}
