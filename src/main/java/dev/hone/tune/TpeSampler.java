package dev.hone.tune;

import dev.hone.tune.tpe.Axis;
import dev.hone.tune.tpe.Parzen;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The tree-structured Parzen estimator, with the semantics Optuna 3.1 documents for its TPESampler:
 * <ul>
 *   <li>the first {@value #STARTUP} finished trials are random;</li>
 *   <li>then the observations are split: the best γ(n) = min(⌈n / 10⌉, 25) are "below", the rest "above" (complete
 *       trials first by value, then pruned ones by their last step and value, then running ones);</li>
 *   <li>each side is a Parzen density l(x), g(x): a truncated Gaussian per observation plus a prior (the range's
 *       centre with the range's width), weights that ramp up newer observations past 25, bandwidths from the
 *       neighbours (independent) or Scott's rule (multivariate), clipped to [range / min(100, n + 1), range]
 *       ("magic clip"); a categorical is a smoothed histogram;</li>
 *   <li>{@value #CANDIDATES} candidates are drawn from l and the one with the largest l(x) / g(x) is suggested.</li>
 * </ul>
 * Independent TPE models each parameter alone; multivariate TPE models them jointly (each kernel a product over
 * the parameters). Log parameters are modelled in log space, integers on the real line and rounded.
 * Parallel trials (constant liar): running trials, and the batch's earlier suggestions, join the "above" side.
 * Failed trials and trials without a finite value are ignored.
 */
final class TpeSampler implements Sampler {

    static final int STARTUP = 10;
    static final int CANDIDATES = 24;

    private final long seed;
    private final boolean multivariate;

    TpeSampler(long seed, boolean multivariate) {
        this.seed = seed;
        this.multivariate = multivariate;
    }

    @Override
    public String name() {
        return multivariate ? "tpe-multivariate" : "tpe";
    }

    /** One observation: its coordinates (transformed numbers, category indices) and its sort key. */
    private record Observation(double[] x, int group, double order, double loss, int number) {}

    private static final Comparator<Observation> BEST_FIRST = Comparator.comparingInt(Observation::group)
            .thenComparingDouble(Observation::order).thenComparingDouble(Observation::loss)
            .thenComparingInt(Observation::number);

    @Override
    public List<Map<String, Object>> suggest(SearchSpace space, List<Trial> history, int n) {
        if (space.isEmpty()) {
            return new RandomSampler(seed).suggest(space, history, n);
        }
        List<Param> params = space.params();
        ParamAxis[] axes = new ParamAxis[params.size()];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = new ParamAxis(params.get(i));
        }
        double sign = space.direction() == Direction.MAXIMIZE ? -1 : 1;
        List<Observation> observations = new ArrayList<>();
        int finished = 0;
        for (Trial t : history) {
            double[] x = encode(axes, t.params());
            if (x == null) {
                continue;
            }
            if (t.hasValue() && Double.isFinite(t.value())) {
                observations.add(new Observation(x, 0, 0, sign * t.value(), t.number()));
                finished++;
            } else if (t.state() == TrialState.PRUNED) {
                var last = t.intermediate() == null || t.intermediate().isEmpty() ? null : t.intermediate().getLast();
                boolean known = last != null && Double.isFinite(last.value());
                observations.add(new Observation(x, known ? 1 : 2, known ? -last.step() : 0,
                        known ? sign * last.value() : 0, t.number()));
                finished++;
            } else if (t.state() == TrialState.RUNNING) {
                observations.add(new Observation(x, 2, 0, 0, t.number()));
            }
        }
        Set<Map<String, Object>> used = ParamSets.used(history);
        SplittableRandom random = new SplittableRandom(ParamSets.mix(seed, history.size()));
        List<Map<String, Object>> out = new ArrayList<>();
        int pending = Integer.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            Map<String, Object> next = finished < STARTUP ? null : best(axes, observations, used, random);
            if (next == null) {
                next = RandomSampler.draw(params, random, used);
                if (next == null) {
                    break;
                }
            }
            used.add(ParamSets.key(next));
            out.add(next);
            observations.add(new Observation(encode(axes, next), 2, 0, 0, pending--));
        }
        return out;
    }

    private Map<String, Object> best(ParamAxis[] axes, List<Observation> observations, Set<Map<String, Object>> used,
                                     SplittableRandom random) {
        List<Observation> sorted = new ArrayList<>(observations);
        sorted.sort(BEST_FIRST);
        int nBelow = Math.min((int) Math.ceil(0.1 * sorted.size()), 25);
        List<double[]> below = chronological(sorted.subList(0, nBelow));
        List<double[]> above = chronological(sorted.subList(nBelow, sorted.size()));
        Axis[] coordinates = Arrays.stream(axes).map(a -> a.axis).toArray(Axis[]::new);
        Parzen l = new Parzen(coordinates, below, multivariate);
        Parzen g = new Parzen(coordinates, above, multivariate);
        double[][] candidates = new double[CANDIDATES][];
        double[] score = new double[CANDIDATES];
        if (multivariate) {
            for (int c = 0; c < CANDIDATES; c++) {
                candidates[c] = l.sampleJoint(random);
                score[c] = l.logPdfJoint(candidates[c]) - g.logPdfJoint(candidates[c]);
            }
        } else {
            for (int c = 0; c < CANDIDATES; c++) {
                candidates[c] = new double[axes.length];
            }
            for (int p = 0; p < axes.length; p++) {
                // each parameter on its own: candidate c takes the parameter's c-th best value, so candidate 0 is
                // TPE's suggestion and the others are fallbacks when it is already used
                double[] values = new double[CANDIDATES];
                double[] ratio = new double[CANDIDATES];
                for (int c = 0; c < CANDIDATES; c++) {
                    values[c] = l.sample(p, l.pickKernel(random), random);
                    ratio[c] = l.logPdf(p, values[c]) - g.logPdf(p, values[c]);
                }
                Integer[] order = rank(ratio);
                for (int c = 0; c < CANDIDATES; c++) {
                    candidates[c][p] = values[order[c]];
                }
            }
            for (int c = 0; c < CANDIDATES; c++) {
                score[c] = -c;
            }
        }
        Integer[] order = rank(score);
        for (int k : order) {
            Map<String, Object> set = decode(axes, candidates[k]);
            if (!used.contains(ParamSets.key(set))) {
                return set;
            }
        }
        return null;
    }

    /** The coordinates of {@code part}, oldest trial first (the weights favour the newest). */
    private static List<double[]> chronological(List<Observation> part) {
        List<Observation> out = new ArrayList<>(part);
        out.sort(Comparator.comparingInt(Observation::number));
        return out.stream().map(Observation::x).toList();
    }

    /** Indices by descending score, ties by index. */
    private static Integer[] rank(double[] score) {
        Integer[] order = new Integer[score.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> score[a] != score[b] ? Double.compare(score[b], score[a]) : a - b);
        return order;
    }

    private static double[] encode(ParamAxis[] axes, Map<String, Object> set) {
        double[] x = new double[axes.length];
        for (int i = 0; i < axes.length; i++) {
            Object v = set.get(axes[i].param.name());
            if (v == null) {
                return null;
            }
            double c = axes[i].encode(v);
            if (Double.isNaN(c)) {
                return null;
            }
            x[i] = c;
        }
        return x;
    }

    private static Map<String, Object> decode(ParamAxis[] axes, double[] x) {
        Map<String, Object> set = new LinkedHashMap<>();
        for (int i = 0; i < axes.length; i++) {
            set.put(axes[i].param.name(), axes[i].decode(x[i]));
        }
        return set;
    }

    /** One parameter as TPE models it: its {@link Axis} (a transformed numeric range or a category index). */
    private static final class ParamAxis {
        final Param param;
        final Axis axis;
        private final boolean log;

        ParamAxis(Param param) {
            this.param = param;
            switch (param) {
                case FloatParam f -> {
                    log = f.log() && f.min() != f.max();
                    if (log) {
                        UnitCube.requirePositive(f.name(), f.min());
                    }
                    axis = Axis.numeric(log ? Math.log(f.min()) : f.min(), log ? Math.log(f.max()) : f.max());
                }
                case IntParam p -> {
                    log = p.log() && p.min() != p.max();
                    if (log) {
                        UnitCube.requirePositive(p.name(), p.min());
                    }
                    axis = Axis.numeric(log ? Math.log(p.min() - 0.5) : p.min() - 0.5,
                            log ? Math.log(p.max() + 0.5) : p.max() + 0.5);
                }
                case CategoricalParam c -> {
                    log = false;
                    axis = Axis.categorical(c.choices().size());
                }
            }
        }

        /** The coordinate of a value, or NaN when it does not belong to the axis. */
        double encode(Object v) {
            if (param instanceof CategoricalParam c) {
                int k = UnitCube.indexOf(c, v);
                return k < 0 ? Double.NaN : k;
            }
            if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                return Double.NaN;
            }
            double x = log ? Math.log(Math.max(n.doubleValue(), Double.MIN_NORMAL)) : n.doubleValue();
            return Math.clamp(x, axis.low(), axis.high());
        }

        Object decode(double x) {
            return switch (param) {
                case FloatParam f -> f.min() == f.max() ? f.min() : Math.clamp(log ? Math.exp(x) : x, f.min(), f.max());
                case IntParam p -> Math.clamp(Math.round(log ? Math.exp(x) : x), p.min(), p.max());
                case CategoricalParam c -> c.choices().get((int) x);
            };
        }
    }
}
