package dev.hone.tune;

import dev.hone.tune.gp.Cube;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A search space as points of the unit cube, for the Gaussian process: a float or an integer is one coordinate
 * (in log space when it is log-scaled; an integer's interval is widened by half a step on each side so that every
 * integer owns an equal share), a categorical parameter is one coordinate per choice (one-hot). {@link #snap}
 * moves a point onto the nearest parameter set, so the model only ever sees points that can be run. A parameter
 * whose condition ({@code when:}) does not hold is held at a fixed point ({@value #INACTIVE} for a number, no
 * choice at all for a categorical), so points that differ only in inactive parameters are one point to the model.
 */
final class UnitCube implements Cube {

    /** Where an inactive numeric parameter's coordinate is held. */
    static final double INACTIVE = 0.5;

    private final List<Param> params;
    private final int[] offset;
    private final int dims;
    private final double[] lo;
    private final double[] hi;
    private final int[] order;

    UnitCube(List<Param> params) {
        this.params = params;
        this.offset = new int[params.size()];
        this.lo = new double[params.size()];
        this.hi = new double[params.size()];
        int d = 0;
        for (int i = 0; i < params.size(); i++) {
            offset[i] = d;
            switch (params.get(i)) {
                case FloatParam f -> {
                    boolean log = f.log() && f.min() != f.max();
                    if (log) {
                        requirePositive(f.name(), f.min());
                    }
                    lo[i] = log ? Math.log(f.min()) : f.min();
                    hi[i] = log ? Math.log(f.max()) : f.max();
                    d += 1;
                }
                case IntParam p -> {
                    boolean log = p.log() && p.min() != p.max();
                    if (log) {
                        requirePositive(p.name(), p.min());
                    }
                    lo[i] = log ? Math.log(p.min() - 0.5) : p.min() - 0.5;
                    hi[i] = log ? Math.log(p.max() + 0.5) : p.max() + 0.5;
                    d += 1;
                }
                case CategoricalParam c -> d += c.choices().size();
            }
        }
        this.dims = d;
        this.order = Conditions.any(params) ? Conditions.order(params) : null;
    }

    @Override
    public int dims() {
        return dims;
    }

    @Override
    public int parameters() {
        return params.size();
    }

    @Override
    public int offset(int param) {
        return offset[param];
    }

    @Override
    public int choices(int param) {
        return params.get(param) instanceof CategoricalParam c ? c.choices().size() : 0;
    }

    /** The point of a parameter set, or null when it does not belong to this space (a missing or unknown value). */
    double[] encode(Map<String, Object> set) {
        double[] u = new double[dims];
        Map<String, Object> active = Conditions.active(params, set);
        for (int i = 0; i < params.size(); i++) {
            Param param = params.get(i);
            Object v = active.get(param.name());
            if (v == null && !param.when().always() && !param.when().holds(active)) {
                hold(i, u);
                continue;
            }
            if (v == null) {
                return null;
            }
            switch (param) {
                case FloatParam f -> {
                    if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                        return null;
                    }
                    u[offset[i]] = toUnit(i, f.log() && f.min() != f.max(), n.doubleValue());
                }
                case IntParam p -> {
                    if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                        return null;
                    }
                    u[offset[i]] = toUnit(i, p.log() && p.min() != p.max(), n.doubleValue());
                }
                case CategoricalParam c -> {
                    int k = indexOf(c, v);
                    if (k < 0) {
                        return null;
                    }
                    u[offset[i] + k] = 1;
                }
            }
        }
        return u;
    }

    /** The parameter set nearest to {@code u}, its active parameters only; {@code u} is snapped first. */
    Map<String, Object> decode(double[] u) {
        snap(u);
        Map<String, Object> set = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            Param param = params.get(i);
            int o = offset[i];
            set.put(param.name(), switch (param) {
                case FloatParam f -> {
                    if (f.min() == f.max()) {
                        yield f.min();
                    }
                    double x = lo[i] + u[o] * (hi[i] - lo[i]);
                    yield Math.clamp(f.log() ? Math.exp(x) : x, f.min(), f.max());
                }
                case IntParam p -> intValue(i, p, u[o]);
                case CategoricalParam c -> c.choices().get(argmax(u, o, c.choices().size()));
            });
        }
        return Conditions.active(params, set);
    }

    /**
     * Moves {@code u} in place onto a runnable point: coordinates clamped to [0, 1], an integer to its value's
     * coordinate, a categorical to the one-hot vector of its largest coordinate, an inactive parameter to where
     * inactive parameters are held.
     */
    @Override
    public void snap(double[] u) {
        for (int i = 0; i < params.size(); i++) {
            int o = offset[i];
            switch (params.get(i)) {
                case FloatParam f -> u[o] = f.min() == f.max() ? 0 : Math.clamp(u[o], 0, 1);
                case IntParam p -> u[o] = toUnit(i, p.log() && p.min() != p.max(), intValue(i, p, u[o]));
                case CategoricalParam c -> {
                    int k = argmax(u, o, c.choices().size());
                    for (int j = 0; j < c.choices().size(); j++) {
                        u[o + j] = j == k ? 1 : 0;
                    }
                }
            }
        }
        if (order != null) {
            Map<String, Object> active = new LinkedHashMap<>();
            for (int i : order) {
                Param p = params.get(i);
                if (!p.when().holds(active)) {
                    hold(i, u);
                } else if (p instanceof CategoricalParam c) {
                    active.put(p.name(), c.choices().get(argmax(u, offset[i], c.choices().size())));
                } else {
                    active.put(p.name(), u[offset[i]]);
                }
            }
        }
    }

    /** Sets parameter {@code i}'s coordinates to where an inactive parameter is held. */
    private void hold(int i, double[] u) {
        if (params.get(i) instanceof CategoricalParam c) {
            Arrays.fill(u, offset[i], offset[i] + c.choices().size(), 0);
        } else {
            u[offset[i]] = INACTIVE;
        }
    }

    /** A uniformly random point: coordinates uniform, a categorical's choice uniform. Snapped. */
    @Override
    public double[] random(SplittableRandom random) {
        double[] u = new double[dims];
        for (int i = 0; i < params.size(); i++) {
            fill(i, random.nextDouble(), u);
        }
        snap(u);
        return u;
    }

    /**
     * A Latin hypercube of {@code size} points: each parameter's range is cut into {@code size} strata and every
     * stratum is used once, so even a handful of initial points covers every parameter's range.
     */
    double[][] latinHypercube(int size, SplittableRandom random) {
        double[][] points = new double[size][dims];
        int[] perm = new int[size];
        for (int i = 0; i < params.size(); i++) {
            for (int k = 0; k < size; k++) {
                perm[k] = k;
            }
            for (int k = size - 1; k > 0; k--) {
                int j = random.nextInt(k + 1);
                int t = perm[k];
                perm[k] = perm[j];
                perm[j] = t;
            }
            for (int k = 0; k < size; k++) {
                fill(i, (perm[k] + random.nextDouble()) / size, points[k]);
            }
        }
        for (double[] p : points) {
            snap(p);
        }
        return points;
    }

    /** Sets parameter {@code i}'s coordinates from a uniform draw {@code q} in [0, 1). */
    private void fill(int i, double q, double[] u) {
        int o = offset[i];
        if (params.get(i) instanceof CategoricalParam c) {
            int k = Math.min((int) (q * c.choices().size()), c.choices().size() - 1);
            for (int j = 0; j < c.choices().size(); j++) {
                u[o + j] = j == k ? 1 : 0;
            }
        } else {
            u[o] = q;
        }
    }

    private double toUnit(int i, boolean log, double value) {
        if (hi[i] == lo[i] || params.get(i) instanceof FloatParam f && f.min() == f.max()) {
            return 0;
        }
        double x = log ? Math.log(Math.max(value, Double.MIN_NORMAL)) : value;
        return Math.clamp((x - lo[i]) / (hi[i] - lo[i]), 0, 1);
    }

    private long intValue(int i, IntParam p, double unit) {
        if (p.min() == p.max()) {
            return p.min();
        }
        double x = lo[i] + Math.clamp(unit, 0, 1) * (hi[i] - lo[i]);
        double v = p.log() ? Math.exp(x) : x;
        return Math.clamp(Math.round(v), p.min(), p.max());
    }

    private static int argmax(double[] u, int from, int count) {
        int best = 0;
        for (int j = 1; j < count; j++) {
            if (u[from + j] > u[from + best]) {
                best = j;
            }
        }
        return best;
    }

    static int indexOf(CategoricalParam c, Object v) {
        for (int k = 0; k < c.choices().size(); k++) {
            Object choice = c.choices().get(k);
            if (choice.equals(v) || choice instanceof Number a && v instanceof Number b
                    && a.doubleValue() == b.doubleValue() && !(choice instanceof Boolean)) {
                return k;
            }
        }
        return -1;
    }

    static void requirePositive(String name, double min) {
        if (min <= 0) {
            throw new SearchSpaceException("tune.params." + name + ": log: true needs min > 0 (got " + min
                    + "); raise min or drop log");
        }
    }
}
