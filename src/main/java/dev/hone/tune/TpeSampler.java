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
 * <p>Conditional parameters ({@code when:}), as Optuna's {@code group=True}: the parameters are split into parts,
 * each modelled on the trials where it is active — multivariate TPE one part per condition (the parameters active
 * together), independent TPE one per parameter; a part is random while fewer than {@value #STARTUP} such trials
 * have finished. Each part proposes its values and the parameters whose condition fails are dropped.
 *
 * <p>With several objectives ({@link SearchSpace#further}) it is Optuna's multi-objective TPE (MOTPE): complete
 * trials are ordered best first by non-domination rank, and within the ranks that fill the "below" side by the
 * hypervolume each adds to those before it (greedy hypervolume subset selection, the reference point each
 * objective's worst loss pushed out by a tenth), then split by γ(n) as above. A trial missing a further objective is
 * ignored.
 *
 * <p>With a warm start ({@link WarmStart}), the earlier runs' trials are observations too, older than every trial of
 * the history, ranked with them into "below" and "above", and their kernels weigh {@value WarmStart#TPE_WEIGHT} of
 * a trial of this run's; they count toward the random startup trials.
 */
final class TpeSampler implements Sampler {

    static final int STARTUP = 10;
    static final int CANDIDATES = 24;
    /** γ(n)'s cap: at most this many observations are "below". */
    static final int MAX_BELOW = 25;

    private final long seed;
    private final boolean multivariate;
    private final List<Trial> prior;

    TpeSampler(long seed, boolean multivariate) {
        this(seed, multivariate, List.of());
    }

    private TpeSampler(long seed, boolean multivariate, List<Trial> prior) {
        this.seed = seed;
        this.multivariate = multivariate;
        this.prior = List.copyOf(prior);
    }

    @Override
    public TpeSampler warmedBy(List<Trial> earlier) {
        return new TpeSampler(seed, multivariate, earlier);
    }

    @Override
    public String name() {
        return multivariate ? "tpe-multivariate" : "tpe";
    }

    /**
     * One trial as TPE sees it: its parameter set, whether it counts as finished, its sort key, and whether it is an
     * earlier run's (a warm start's prior).
     */
    private record Observation(Map<String, Object> set, boolean finished, int group, double order, double loss,
                               int number, boolean earlier) {

        Observation(Map<String, Object> set, boolean finished, int group, double order, double loss, int number) {
            this(set, finished, group, order, loss, number, false);
        }
    }

    /** An observation's coordinates on one part's axes. */
    private record Point(double[] x, Observation of) {}

    private static final Comparator<Point> BEST_FIRST = Comparator.comparingInt((Point p) -> p.of().group())
            .thenComparingDouble(p -> p.of().order()).thenComparingDouble(p -> p.of().loss())
            .thenComparingInt(p -> p.of().number());

    @Override
    public List<Map<String, Object>> suggest(SearchSpace space, List<Trial> history, int n) {
        if (space.isEmpty()) {
            return new RandomSampler(seed).suggest(space, history, n);
        }
        List<Param> params = space.params();
        List<ParamAxis[]> parts = parts(params);
        double sign = space.direction() == Direction.MAXIMIZE ? -1 : 1;
        List<Observation> observations = new ArrayList<>();
        Goals goals = Goals.of(space, List.of());
        List<Observation> complete = new ArrayList<>();
        List<double[]> losses = new ArrayList<>();
        if (!goals.multiObjective()) {
            for (Trial t : prior) {
                if (t.hasValue() && Double.isFinite(t.value())) {
                    observations.add(new Observation(Conditions.active(params, t.params()), true, 0, 0,
                            sign * t.value(), t.number(), true));
                }
            }
        }
        for (Trial t : history) {
            Map<String, Object> set = Conditions.active(params, t.params());
            if (goals.multiObjective() && t.hasValue()) {
                double[] values = goals.values(t);
                if (values != null) {
                    complete.add(new Observation(set, true, 0, 0, 0, t.number()));
                    losses.add(goals.losses(values));
                }
            } else if (t.hasValue() && Double.isFinite(t.value())) {
                observations.add(new Observation(set, true, 0, 0, sign * t.value(), t.number()));
            } else if (t.state() == TrialState.PRUNED) {
                var last = t.intermediate() == null || t.intermediate().isEmpty() ? null : t.intermediate().getLast();
                boolean known = last != null && Double.isFinite(last.value());
                observations.add(new Observation(set, true, known ? 1 : 2, known ? -last.step() : 0,
                        known ? sign * last.value() : 0, t.number()));
            } else if (t.state() == TrialState.RUNNING) {
                observations.add(new Observation(set, false, 2, 0, 0, t.number()));
            }
        }
        List<Integer> ranked = Pareto.bestFirst(losses, MAX_BELOW);
        for (int position = 0; position < ranked.size(); position++) {
            Observation o = complete.get(ranked.get(position));
            observations.add(new Observation(o.set(), true, 0, position, 0, o.number()));
        }
        Set<Map<String, Object>> used = ParamSets.used(history);
        SplittableRandom random = new SplittableRandom(ParamSets.mix(seed, history.size()));
        List<Map<String, Object>> out = new ArrayList<>();
        int pending = Integer.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            Map<String, Object> next = parts.size() == 1 ? whole(parts.getFirst(), observations, used, random)
                    : byParts(params, parts, observations, used, random);
            if (next == null) {
                next = RandomSampler.draw(params, random, used);
                if (next == null) {
                    break;
                }
            }
            used.add(ParamSets.key(next));
            out.add(next);
            observations.add(new Observation(next, false, 2, 0, 0, pending--));
        }
        return out;
    }

    /**
     * The parts modelled apart: every parameter alone (independent TPE), or the parameters grouped by their
     * condition (multivariate TPE, as Optuna's {@code group=True}): the parameters that are active together.
     */
    private List<ParamAxis[]> parts(List<Param> params) {
        if (!Conditions.any(params)) {
            return List.<ParamAxis[]>of(params.stream().map(ParamAxis::new).toArray(ParamAxis[]::new));
        }
        Map<Object, List<ParamAxis>> parts = new LinkedHashMap<>();
        for (Param p : params) {
            parts.computeIfAbsent(multivariate ? p.when() : p.name(), k -> new ArrayList<>()).add(new ParamAxis(p));
        }
        return parts.values().stream().map(l -> l.toArray(ParamAxis[]::new)).toList();
    }

    /** The observations in which all of a part's parameters are active, on its axes. */
    private static List<Point> points(ParamAxis[] axes, List<Observation> observations) {
        List<Point> points = new ArrayList<>();
        for (Observation o : observations) {
            double[] x = encode(axes, o.set());
            if (x != null) {
                points.add(new Point(x, o));
            }
        }
        return points;
    }

    /** A space without conditions: the best candidate not yet used; null while random or when all are used. */
    private Map<String, Object> whole(ParamAxis[] axes, List<Observation> observations, Set<Map<String, Object>> used,
                                      SplittableRandom random) {
        List<Point> points = points(axes, observations);
        if (points.stream().filter(p -> p.of().finished()).count() < STARTUP) {
            return null;
        }
        for (double[] candidate : ranked(axes, points, random)) {
            Map<String, Object> set = decode(axes, candidate);
            if (!used.contains(ParamSets.key(set))) {
                return set;
            }
        }
        return null;
    }

    /**
     * A space with conditions: each part from its own estimators, fitted on the trials where the part is active
     * (random while they are fewer than {@value #STARTUP}), then the parameters whose condition fails dropped; null
     * when the set is used.
     */
    private Map<String, Object> byParts(List<Param> params, List<ParamAxis[]> parts, List<Observation> observations,
                                        Set<Map<String, Object>> used, SplittableRandom random) {
        Map<String, Object> drawn = new LinkedHashMap<>();
        for (ParamAxis[] axes : parts) {
            List<Point> points = points(axes, observations);
            if (points.stream().filter(p -> p.of().finished()).count() < STARTUP) {
                for (ParamAxis a : axes) {
                    drawn.put(a.param.name(), RandomSampler.sample(a.param, random));
                }
            } else {
                drawn.putAll(decode(axes, ranked(axes, points, random).getFirst()));
            }
        }
        Map<String, Object> set = Conditions.active(params, drawn);
        return used.contains(ParamSets.key(set)) ? null : set;
    }

    /** TPE's candidates for one part, best first. */
    private List<double[]> ranked(ParamAxis[] axes, List<Point> points, SplittableRandom random) {
        List<Point> sorted = new ArrayList<>(points);
        sorted.sort(BEST_FIRST);
        int nBelow = Math.min((int) Math.ceil(0.1 * sorted.size()), MAX_BELOW);
        List<Point> below = chronological(sorted.subList(0, nBelow));
        List<Point> above = chronological(sorted.subList(nBelow, sorted.size()));
        Axis[] coordinates = Arrays.stream(axes).map(a -> a.axis).toArray(Axis[]::new);
        Parzen l = new Parzen(coordinates, coordinates(below), multivariate, scales(below));
        Parzen g = new Parzen(coordinates, coordinates(above), multivariate, scales(above));
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
        List<double[]> ranked = new ArrayList<>();
        for (int k : rank(score)) {
            ranked.add(candidates[k]);
        }
        return ranked;
    }

    /** {@code part}, oldest trial first (the weights favour the newest; earlier runs' trials are numbered below 1). */
    private static List<Point> chronological(List<Point> part) {
        List<Point> out = new ArrayList<>(part);
        out.sort(Comparator.comparingInt(p -> p.of().number()));
        return out;
    }

    private static List<double[]> coordinates(List<Point> part) {
        return part.stream().map(Point::x).toList();
    }

    /** Each point's weight factor: {@value WarmStart#TPE_WEIGHT} for an earlier run's trial, else 1. */
    private static double[] scales(List<Point> part) {
        return part.stream().mapToDouble(p -> p.of().earlier() ? WarmStart.TPE_WEIGHT : 1).toArray();
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
