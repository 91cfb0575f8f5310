package dev.hone.pipeline;

import dev.hone.spec.Spec;
import dev.hone.spec.SpecLoader;
import dev.hone.store.RunRow;
import dev.hone.store.Store;
import java.util.Map;
import java.util.Optional;

/**
 * The metric a stored run is judged by. A run records it when its spec is read ({@link Pipeline}); a run without a
 * spec snapshot ran with the defaults. A run that a Hone from before runs kept their metric recorded has only its
 * snapshot: its metric is worked out from it once, with the environment given, and recorded.
 */
public final class RunMetrics {

    private RunMetrics() {}

    /** The run's metric; empty when it has none (its snapshot no longer loads, say). */
    public static Optional<Spec.Metric> of(RunRow run, Store store, Map<String, String> env) {
        if (run.metric() != null) {
            return Optional.of(run.metric());
        }
        Optional<Spec.Metric> derived = SpecLoader.snapshot(run.specYaml(), run.project(), env).map(Spec::metric);
        if (run.specYaml() != null) {
            derived.ifPresent(metric -> store.recordMetric(run.id(), metric));
        }
        return derived;
    }

    /**
     * The run's metric with its further objectives ({@code metric} as a list), which the run's row does not hold:
     * read from its spec snapshot; as {@link #of} when the snapshot is gone or names one metric.
     */
    public static Optional<Spec.Metric> withObjectives(RunRow run, Store store, Map<String, String> env) {
        Optional<Spec.Metric> metric = of(run, store, env);
        if (metric.isEmpty() || run.specYaml() == null) {
            return metric;
        }
        return SpecLoader.snapshot(run.specYaml(), run.project(), env).map(Spec::metric)
                .filter(m -> !m.further().isEmpty() && m.name().equals(metric.get().name()))
                .map(m -> new Spec.Metric(m.name(), m.direction(), metric.get().target(), m.constraints(),
                        m.regressionTolerance(), m.confirm(), m.further()))
                .or(() -> metric);
    }
}
