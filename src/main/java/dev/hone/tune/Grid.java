package dev.hone.tune;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A finite set of parameter sets: each parameter's points (an axis) and their cartesian product, indexed
 * 0..size-1 with the first declared parameter varying slowest.
 */
final class Grid {

    static final int FLOAT_POINTS = 5;
    static final int MAX_INT_POINTS = 10;

    private final List<Param> params;
    private final List<List<Object>> axes;
    private final long size;

    private Grid(List<Param> params, List<List<Object>> axes) {
        this.params = params;
        this.axes = axes;
        long n = 1;
        for (int i = 0; i < axes.size(); i++) {
            try {
                n = Math.multiplyExact(n, axes.get(i).size());
            } catch (ArithmeticException e) {
                throw new SearchSpaceException("tune.params: the grid has more than " + Long.MAX_VALUE
                        + " points (too many parameters); use strategy random");
            }
        }
        this.size = n;
    }

    /** The grid search's grid: floats as {@value FLOAT_POINTS} points, ints as at most {@value MAX_INT_POINTS}. */
    static Grid search(List<Param> params) {
        List<List<Object>> axes = new ArrayList<>();
        for (Param p : params) {
            axes.add(switch (p) {
                case FloatParam f -> floatPoints(f);
                case IntParam i -> intPoints(i, MAX_INT_POINTS);
                case CategoricalParam c -> List.copyOf(c.choices());
            });
        }
        return new Grid(params, axes);
    }

    /**
     * Every parameter set of a fully discrete space (ints, categoricals, floats with min = max), or null when the
     * space has a continuous parameter or more than {@code limit} points.
     */
    static Grid exhaustive(List<Param> params, long limit) {
        List<List<Object>> axes = new ArrayList<>();
        long n = 1;
        for (Param p : params) {
            long points = switch (p) {
                case FloatParam f -> f.min() == f.max() ? 1 : Long.MAX_VALUE;
                case IntParam i -> i.max() - i.min() + 1;
                case CategoricalParam c -> c.choices().size();
            };
            if (points <= 0 || points > limit || (n *= points) > limit) {
                return null;
            }
            axes.add(switch (p) {
                case FloatParam f -> List.of(f.min());
                case IntParam i -> intPoints(i, Integer.MAX_VALUE);
                case CategoricalParam c -> List.copyOf(c.choices());
            });
        }
        return new Grid(params, axes);
    }

    long size() {
        return size;
    }

    Map<String, Object> point(long index) {
        Object[] values = new Object[axes.size()];
        for (int i = axes.size() - 1; i >= 0; i--) {
            List<Object> axis = axes.get(i);
            values[i] = axis.get((int) (index % axis.size()));
            index /= axis.size();
        }
        Map<String, Object> point = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            point.put(params.get(i).name(), values[i]);
        }
        return point;
    }

    private static List<Object> floatPoints(FloatParam f) {
        if (f.min() == f.max()) {
            return List.of(f.min());
        }
        boolean log = f.log() && f.min() > 0;
        double lo = log ? Math.log(f.min()) : f.min();
        double hi = log ? Math.log(f.max()) : f.max();
        List<Object> points = new ArrayList<>();
        for (int k = 0; k < FLOAT_POINTS; k++) {
            double x = lo + (hi - lo) * k / (FLOAT_POINTS - 1);
            points.add(k == 0 ? f.min() : k == FLOAT_POINTS - 1 ? f.max() : log ? Math.exp(x) : x);
        }
        return points;
    }

    private static List<Object> intPoints(IntParam p, int maxPoints) {
        long count = p.max() - p.min() + 1;
        LinkedHashSet<Object> points = new LinkedHashSet<>();
        if (count <= maxPoints) {
            for (long v = p.min(); v <= p.max(); v++) {
                points.add(v);
            }
            return List.copyOf(points);
        }
        boolean log = p.log() && p.min() > 0;
        double lo = log ? Math.log(p.min()) : p.min();
        double hi = log ? Math.log(p.max()) : p.max();
        for (int k = 0; k < maxPoints; k++) {
            double x = lo + (hi - lo) * k / (maxPoints - 1);
            long v = k == 0 ? p.min() : k == maxPoints - 1 ? p.max() : Math.round(log ? Math.exp(x) : x);
            points.add(Math.clamp(v, p.min(), p.max()));
        }
        return List.copyOf(points);
    }
}
