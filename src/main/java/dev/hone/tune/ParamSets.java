package dev.hone.tune;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/** What samplers share: telling parameter sets apart, seeding, and a lazily drawn shuffle. */
final class ParamSets {

    private ParamSets() {}

    /**
     * A parameter set's identity: numbers compare by value whatever their boxed type (a rebuild program's 3 equals
     * the sampler's 3.0), everything else by equals.
     */
    static Map<String, Object> key(Map<String, Object> params) {
        Map<String, Object> key = new HashMap<>();
        params.forEach((name, value) -> key.put(name, value instanceof Number n ? (Object) n.doubleValue() : value));
        return key;
    }

    /** The keys of every parameter set in the history, whatever the trial's state (running and failed included). */
    static Set<Map<String, Object>> used(List<Trial> history) {
        Set<Map<String, Object>> used = new HashSet<>();
        for (Trial t : history) {
            used.add(key(t.params()));
        }
        return used;
    }

    /** A well-mixed seed for a generator from a seed and a salt (murmur3's finaliser). */
    static long mix(long seed, long salt) {
        long z = seed * 0x9E3779B97F4A7C15L + salt * 0xC2B2AE3D27D4EB4FL + 0x165667B19E3779F9L;
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return z ^ (z >>> 33);
    }

    /**
     * A uniform random permutation of 0..size-1 drawn one position at a time (Fisher–Yates with the swaps kept in a
     * map), so a huge grid costs only the positions actually visited. Call {@link #next()} for positions 0, 1, 2…
     */
    static final class LazyShuffle {
        private final long size;
        private final SplittableRandom random;
        private final Map<Long, Long> swapped = new HashMap<>();
        private long position;

        LazyShuffle(long size, long seed) {
            this.size = size;
            this.random = new SplittableRandom(seed);
        }

        boolean hasNext() {
            return position < size;
        }

        long next() {
            long i = position++;
            long j = i + random.nextLong(size - i);
            long atI = swapped.getOrDefault(i, i);
            long atJ = swapped.getOrDefault(j, j);
            swapped.put(j, atI);
            swapped.remove(i);
            return atJ;
        }
    }
}
