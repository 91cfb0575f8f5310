package dev.hone.tune;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A finite set of parameter sets: each parameter's points (an axis) and their cartesian product, indexed
 * 0..size-1 with the first declared parameter varying slowest. With conditions ({@code when:}) the set is a union
 * of blocks, one per combination of the choices that conditions name (a parent), each the product of the axes of
 * the parameters active in it: only active combinations, each once.
 */
final class Grid {

    static final int FLOAT_POINTS = 5;
    static final int MAX_INT_POINTS = 10;

    /** The product of the axes of some parameters (in declared order). */
    private record Block(List<Param> params, List<List<Object>> axes, long size) {

        static Block of(List<Param> params, List<List<Object>> axes) {
            long n = 1;
            for (List<Object> axis : axes) {
                try {
                    n = Math.multiplyExact(n, axis.size());
                } catch (ArithmeticException e) {
                    throw tooLarge();
                }
            }
            return new Block(params, axes, n);
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
    }

    private final List<Block> blocks;
    private final long size;

    private Grid(List<Block> blocks) {
        this.blocks = blocks;
        long n = 0;
        for (Block b : blocks) {
            try {
                n = Math.addExact(n, b.size());
            } catch (ArithmeticException e) {
                throw tooLarge();
            }
        }
        this.size = n;
    }

    private static SearchSpaceException tooLarge() {
        return new SearchSpaceException("tune.params: the grid has more than " + Long.MAX_VALUE
                + " points (too many parameters); use strategy random");
    }

    /** The grid search's grid: floats as {@value FLOAT_POINTS} points, ints as at most {@value MAX_INT_POINTS}. */
    static Grid search(List<Param> params) {
        return new Grid(blocks(params, p -> switch (p) {
            case FloatParam f -> floatPoints(f);
            case IntParam i -> intPoints(i, MAX_INT_POINTS);
            case CategoricalParam c -> List.copyOf(c.choices());
        }));
    }

    /**
     * Every parameter set of a fully discrete space (ints, categoricals, floats with min = max), or null when the
     * space has a continuous parameter or more than {@code limit} points.
     */
    static Grid exhaustive(List<Param> params, long limit) {
        for (Param p : params) {
            long points = switch (p) {
                case FloatParam f -> f.min() == f.max() ? 1 : Long.MAX_VALUE;
                case IntParam i -> i.max() - i.min() + 1;
                case CategoricalParam c -> c.choices().size();
            };
            if (points <= 0 || points > limit) {
                return null;
            }
        }
        try {
            Grid grid = new Grid(blocks(params, p -> switch (p) {
                case FloatParam f -> List.of(f.min());
                case IntParam i -> intPoints(i, Integer.MAX_VALUE);
                case CategoricalParam c -> List.copyOf(c.choices());
            }));
            return grid.size() > limit ? null : grid;
        } catch (SearchSpaceException e) {
            return null; // more than Long.MAX_VALUE points
        }
    }

    /** One block per combination of the parents' choices (one block without conditions). */
    private static List<Block> blocks(List<Param> params, Function<Param, List<Object>> axisOf) {
        if (!Conditions.any(params)) {
            return List.of(Block.of(params, params.stream().map(axisOf).toList()));
        }
        Set<String> parents = new HashSet<>();
        params.forEach(p -> parents.addAll(p.when().parents().keySet()));
        List<Block> out = new ArrayList<>();
        expand(params, Conditions.order(params), 0, new LinkedHashMap<>(), new HashMap<>(), parents, axisOf, out);
        return out;
    }

    /** Decides the parameters from {@code order[k]} on, branching on each parent's choices. */
    private static void expand(List<Param> params, int[] order, int k, Map<String, Object> chosen,
                               Map<Integer, List<Object>> axes, Set<String> parents,
                               Function<Param, List<Object>> axisOf, List<Block> out) {
        if (k == order.length) {
            List<Param> active = new ArrayList<>();
            List<List<Object>> activeAxes = new ArrayList<>();
            for (int i = 0; i < params.size(); i++) {
                if (axes.containsKey(i)) {
                    active.add(params.get(i));
                    activeAxes.add(axes.get(i));
                }
            }
            out.add(Block.of(active, activeAxes));
            return;
        }
        Param p = params.get(order[k]);
        if (!p.when().holds(chosen)) {
            expand(params, order, k + 1, chosen, axes, parents, axisOf, out);
            return;
        }
        List<Object> axis = axisOf.apply(p);
        if (!parents.contains(p.name())) {
            axes.put(order[k], axis);
            expand(params, order, k + 1, chosen, axes, parents, axisOf, out);
            axes.remove(order[k]);
            return;
        }
        for (Object choice : axis) {
            chosen.put(p.name(), choice);
            axes.put(order[k], List.of(choice));
            expand(params, order, k + 1, chosen, axes, parents, axisOf, out);
        }
        chosen.remove(p.name());
        axes.remove(order[k]);
    }

    long size() {
        return size;
    }

    Map<String, Object> point(long index) {
        for (Block b : blocks) {
            if (index < b.size()) {
                return b.point(index);
            }
            index -= b.size();
        }
        throw new IndexOutOfBoundsException("grid point " + index + " of " + size);
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
