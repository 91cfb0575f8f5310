package dev.hone.tune;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Random search: each parameter drawn independently, uniform or log-uniform; a parameter whose condition
 * ({@code when:}) does not hold is left out. The generator is derived from the seed
 * and the history's size, so the same seed and history give the same suggestions whatever came before. A draw that
 * repeats a parameter set of the batch or the history is redrawn; a small discrete space is enumerated once random
 * draws stop finding new sets, so it is used up exactly.
 */
final class RandomSampler implements Sampler {

    static final int ATTEMPTS = 100;
    static final long ENUMERABLE = 100_000;

    private final long seed;

    RandomSampler(long seed) {
        this.seed = seed;
    }

    @Override
    public String name() {
        return "random";
    }

    @Override
    public List<Map<String, Object>> suggest(SearchSpace space, List<Trial> history, int n) {
        SplittableRandom random = new SplittableRandom(ParamSets.mix(seed, history.size()));
        Set<Map<String, Object>> used = ParamSets.used(history);
        List<Map<String, Object>> out = new ArrayList<>();
        while (out.size() < n) {
            Map<String, Object> next = draw(space.params(), random, used);
            if (next == null) {
                break;
            }
            out.add(next);
        }
        return out;
    }

    static Map<String, Object> draw(List<Param> params, SplittableRandom random,
                                   Set<Map<String, Object>> used) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Map<String, Object> drawn = new LinkedHashMap<>();
            for (Param param : params) {
                drawn.put(param.name(), sample(param, random));
            }
            Map<String, Object> p = Conditions.active(params, drawn);
            if (used.add(ParamSets.key(p))) {
                return p;
            }
        }
        Grid all = Grid.exhaustive(params, ENUMERABLE);
        if (all == null) {
            return null;
        }
        List<Map<String, Object>> left = new ArrayList<>();
        for (long i = 0; i < all.size(); i++) {
            Map<String, Object> p = all.point(i);
            if (!used.contains(ParamSets.key(p))) {
                left.add(p);
            }
        }
        if (left.isEmpty()) {
            return null;
        }
        Map<String, Object> p = left.get(random.nextInt(left.size()));
        used.add(ParamSets.key(p));
        return p;
    }

    static Object sample(Param param, SplittableRandom random) {
        return switch (param) {
            case FloatParam f -> sampleFloat(f, random.nextDouble());
            case IntParam i -> sampleInt(i, random);
            case CategoricalParam c -> c.choices().get(random.nextInt(c.choices().size()));
        };
    }

    private static Double sampleFloat(FloatParam f, double u) {
        if (!f.log()) {
            return Math.clamp(f.min() + u * (f.max() - f.min()), f.min(), f.max());
        }
        UnitCube.requirePositive(f.name(), f.min());
        double lo = Math.log(f.min());
        double hi = Math.log(f.max());
        return Math.clamp(Math.exp(lo + u * (hi - lo)), f.min(), f.max());
    }

    private static Long sampleInt(IntParam p, SplittableRandom random) {
        if (p.min() == p.max()) {
            return p.min();
        }
        if (!p.log()) {
            return p.max() == Long.MAX_VALUE ? random.nextLong(p.min() - 1, p.max()) + 1
                    : random.nextLong(p.min(), p.max() + 1);
        }
        UnitCube.requirePositive(p.name(), p.min());
        // log-uniform over [min - 0.5, max + 0.5], rounded: every integer gets the mass of its own interval
        double lo = Math.log(p.min() - 0.5);
        double hi = Math.log(p.max() + 0.5);
        long v = Math.round(Math.exp(lo + random.nextDouble() * (hi - lo)));
        return Math.clamp(v, p.min(), p.max());
    }
}
