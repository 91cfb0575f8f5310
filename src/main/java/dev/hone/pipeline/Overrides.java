package dev.hone.pipeline;

import dev.hone.spec.InvalidSpecException;
import dev.hone.spec.Spec;

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
            m = new Spec.Metric(m.name(), m.direction(), r.target(), m.constraints());
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
                t.rebuild(), t.earlyStopping());
        return new Spec(spec.name(), spec.train(), e, m, t, spec.notifications(), spec.serve(), spec.data());
    }

    private static InvalidSpecException flag(String flag, String message) {
        return InvalidSpecException.of("command line", flag, message);
    }
}
