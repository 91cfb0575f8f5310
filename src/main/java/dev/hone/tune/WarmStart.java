package dev.hone.tune;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code tune.warm_start}: a run starts from the trials of the project's earlier runs. Their best few parameter sets
 * run again first, as this run's own trials (they count against max_trials), and the sampler then sees the earlier
 * trials as a prior, weighted below this run's own ({@link TpeSampler}: a kernel weight of {@value #TPE_WEIGHT};
 * {@link GpSampler}: an extra noise variance of {@value #GP_NOISE} in standardised units).
 *
 * <p>The space may have changed between the runs. An earlier trial is kept only when it has a value, a value for
 * every parameter of this space that is active on it ({@code when:}) and no other parameter, and each value is in
 * the parameter's new range or among its new choices; a whole number for a parameter that became a float is read as that float, and that is the only
 * projection: nothing is clamped into a range or dropped from a parameter set, as the trial was never measured
 * there. The rest are dropped and counted.
 */
public final class WarmStart {

    /** The earlier parameter sets run again first. */
    public static final int REEVALUATE = 3;
    /** At most this many earlier trials, the newest runs' first, so the model's cost stays bounded. */
    public static final int MAX_TRIALS = 100;
    /** TPE: an earlier trial's kernel weighs this much against one of this run's. */
    static final double TPE_WEIGHT = 0.5;
    /** GP: an earlier trial's value is this much noisier (variance, in units of the values' variance). */
    static final double GP_NOISE = 0.1;

    private WarmStart() {}

    /** A trial of an earlier run ({@code run}: its id). */
    public record Earlier(long run, Trial trial) {}

    /**
     * The prior of a run whose space is {@code space} from {@code earlier}, the earlier runs' trials given newest run
     * first (trials without a value are ignored and not counted as dropped).
     */
    public static Prior prior(SearchSpace space, List<Earlier> earlier) {
        if (space.isEmpty()) {
            return Prior.NONE;
        }
        List<Earlier> kept = new ArrayList<>();
        int dropped = 0;
        for (Earlier e : earlier) {
            Trial t = e.trial();
            if (!t.hasValue() || !Double.isFinite(t.value())) {
                continue;
            }
            Map<String, Object> projected = project(space, t.params());
            if (projected == null || kept.size() >= MAX_TRIALS) {
                dropped++;
            } else {
                kept.add(new Earlier(e.run(), new Trial(t.number(), projected, t.state(), t.value(), List.of(),
                        t.exitCode(), t.durationMs(), null, "", t.metrics())));
            }
        }
        kept.sort(Comparator.comparingLong(Earlier::run).thenComparingInt(e -> e.trial().number()));
        List<Trial> trials = new ArrayList<>();
        Set<Long> runs = new TreeSet<>();
        for (int i = 0; i < kept.size(); i++) {
            Trial t = kept.get(i).trial();
            trials.add(new Trial(i - kept.size(), t.params(), t.state(), t.value(), List.of(), t.exitCode(),
                    t.durationMs(), null, "", t.metrics()));
            runs.add(kept.get(i).run());
        }
        return new Prior(trials, List.copyOf(runs), dropped, best(space.direction(), trials));
    }

    /** {@code inner} started from {@code prior}: its best parameter sets first, then {@code inner} with the prior. */
    public static Sampler sampler(Sampler inner, Prior prior) {
        return prior.isEmpty() ? inner : new Warmed(inner.warmedBy(prior.trials()), prior.reevaluate());
    }

    /**
     * The parameter set as this space takes it, or null when it does not fit: every active parameter (its
     * {@code when:} holding) has a value in its range or choices, no inactive or unknown parameter has one.
     */
    static Map<String, Object> project(SearchSpace space, Map<String, Object> params) {
        List<Param> declared = space.params();
        Map<String, Object> kept = new LinkedHashMap<>();
        for (int i : Conditions.order(declared)) {
            Param p = declared.get(i);
            Object v = params.get(p.name());
            if (!p.when().holds(kept)) {
                if (v != null) {
                    return null;
                }
                continue;
            }
            Object fitted = v == null ? null : fit(p, v);
            if (fitted == null) {
                return null;
            }
            kept.put(p.name(), fitted);
        }
        if (kept.size() != params.size()) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Param p : declared) {
            if (kept.containsKey(p.name())) {
                out.put(p.name(), kept.get(p.name()));
            }
        }
        return out;
    }

    /** {@code v} as a value of {@code p}, or null when it is not one. */
    private static Object fit(Param p, Object v) {
        return switch (p) {
            case FloatParam f -> v instanceof Number n && !(v instanceof Boolean) && n.doubleValue() >= f.min()
                    && n.doubleValue() <= f.max() ? (Object) n.doubleValue() : null;
            case IntParam i -> v instanceof Long n && n >= i.min() && n <= i.max() ? n
                    : v instanceof Integer n && n >= i.min() && n <= i.max() ? (Object) n.longValue() : null;
            case CategoricalParam c -> {
                int k = UnitCube.indexOf(c, v);
                yield k < 0 ? null : c.choices().get(k);
            }
        };
    }

    private static List<Map<String, Object>> best(Direction direction, List<Trial> trials) {
        List<Trial> sorted = new ArrayList<>(trials);
        sorted.sort((a, b) -> direction.better(a.value(), b.value()) ? -1
                : direction.better(b.value(), a.value()) ? 1 : Integer.compare(b.number(), a.number()));
        List<Map<String, Object>> out = new ArrayList<>();
        Set<Map<String, Object>> seen = new HashSet<>();
        for (Trial t : sorted) {
            if (out.size() < REEVALUATE && seen.add(ParamSets.key(t.params()))) {
                out.add(t.params());
            }
        }
        return out;
    }

    /** The best earlier parameter sets not yet run, then the inner sampler. */
    private record Warmed(Sampler inner, List<Map<String, Object>> reevaluate) implements Sampler {

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public List<Map<String, Object>> suggest(SearchSpace space, List<Trial> history, int n) {
            Set<Map<String, Object>> used = ParamSets.used(history);
            List<Map<String, Object>> out = new ArrayList<>();
            for (Map<String, Object> set : reevaluate) {
                if (out.size() < n && used.add(ParamSets.key(set))) {
                    out.add(set);
                }
            }
            if (out.size() < n) {
                List<Trial> seen = new ArrayList<>(history);
                for (Map<String, Object> set : out) {
                    seen.add(Trial.running(Integer.MAX_VALUE - seen.size(), set));
                }
                out.addAll(inner.suggest(space, seen, n - out.size()));
            }
            return out;
        }
    }
}
