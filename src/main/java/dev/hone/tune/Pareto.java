package dev.hone.tune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Pareto numerics on loss vectors (every coordinate minimised): dominance, non-domination ranks, the hypervolume a
 * set of points dominates up to a reference point, and the greedy hypervolume subset selection Optuna's MOTPE uses to
 * order the points of one front.
 */
final class Pareto {

    private Pareto() {}

    /** True when {@code a} is no worse than {@code b} in every coordinate and better in one. */
    static boolean dominates(double[] a, double[] b) {
        boolean better = false;
        for (int i = 0; i < a.length; i++) {
            if (a[i] > b[i]) {
                return false;
            }
            better |= a[i] < b[i];
        }
        return better;
    }

    /** Each point's non-domination rank: 0 for the front, 1 for the front once the front is removed, and so on. */
    static int[] ranks(List<double[]> points) {
        int n = points.size();
        int[] rank = new int[n];
        int[] dominatedBy = new int[n];
        List<List<Integer>> dominates = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            dominates.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (dominates(points.get(i), points.get(j))) {
                    dominates.get(i).add(j);
                    dominatedBy[j]++;
                } else if (dominates(points.get(j), points.get(i))) {
                    dominates.get(j).add(i);
                    dominatedBy[i]++;
                }
            }
        }
        List<Integer> current = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (dominatedBy[i] == 0) {
                current.add(i);
            }
        }
        for (int r = 0; !current.isEmpty(); r++) {
            List<Integer> next = new ArrayList<>();
            for (int i : current) {
                rank[i] = r;
                for (int j : dominates.get(i)) {
                    if (--dominatedBy[j] == 0) {
                        next.add(j);
                    }
                }
            }
            current = next;
        }
        return rank;
    }

    /**
     * The volume dominated by {@code points} and bounded by {@code reference} (points not better than the reference
     * in every coordinate add nothing). Exact: a sweep in two dimensions, slicing by the last coordinate above.
     */
    static double hypervolume(List<double[]> points, double[] reference) {
        List<double[]> inside = new ArrayList<>();
        for (double[] p : points) {
            boolean in = true;
            for (int i = 0; i < p.length; i++) {
                in &= p[i] < reference[i];
            }
            if (in) {
                inside.add(p);
            }
        }
        return volume(inside, reference, reference.length);
    }

    private static double volume(List<double[]> points, double[] reference, int dims) {
        if (points.isEmpty()) {
            return 0;
        }
        if (dims == 1) {
            return reference[0] - points.stream().mapToDouble(p -> p[0]).min().orElseThrow();
        }
        List<double[]> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.comparingDouble(p -> p[dims - 1]));
        if (dims == 2) {
            double total = 0;
            double best = reference[0];
            for (double[] p : sorted) {
                if (p[0] < best) {
                    total += (best - p[0]) * (reference[1] - p[1]);
                    best = p[0];
                }
            }
            return total;
        }
        double total = 0;
        for (int i = 0; i < sorted.size(); i++) {
            double next = i + 1 < sorted.size() ? sorted.get(i + 1)[dims - 1] : reference[dims - 1];
            double height = next - sorted.get(i)[dims - 1];
            if (height > 0) {
                total += height * volume(sorted.subList(0, i + 1), reference, dims - 1);
            }
        }
        return total;
    }

    /**
     * The reference point for a set of loss vectors, as Optuna's MOTPE sets it: each coordinate's worst value
     * pushed out by a tenth of its size (a tiny positive number where it is 0).
     */
    static double[] reference(List<double[]> points) {
        double[] worst = new double[points.getFirst().length];
        Arrays.fill(worst, Double.NEGATIVE_INFINITY);
        for (double[] p : points) {
            for (int i = 0; i < p.length; i++) {
                worst[i] = Math.max(worst[i], p[i]);
            }
        }
        for (int i = 0; i < worst.length; i++) {
            worst[i] = Math.max(1.1 * worst[i], 0.9 * worst[i]);
            if (worst[i] == 0) {
                worst[i] = 1e-12;
            }
        }
        return worst;
    }

    /**
     * The points best first, as MOTPE splits them: by non-domination rank; within the ranks that fill the first
     * {@code selective} places, greedily by the hypervolume each adds to those chosen before it (ties: the earlier
     * index); within later ranks by index. Returns indices into {@code points}.
     */
    static List<Integer> bestFirst(List<double[]> points, int selective) {
        List<Integer> order = new ArrayList<>();
        if (points.isEmpty()) {
            return order;
        }
        int[] rank = ranks(points);
        double[] reference = reference(points);
        int maxRank = Arrays.stream(rank).max().orElse(0);
        for (int r = 0; r <= maxRank; r++) {
            List<Integer> front = new ArrayList<>();
            for (int i = 0; i < rank.length; i++) {
                if (rank[i] == r) {
                    front.add(i);
                }
            }
            if (order.size() < selective && front.size() > 1) {
                order.addAll(greedy(points, front, reference));
            } else {
                order.addAll(front);
            }
        }
        return order;
    }

    /** {@code front}'s indices ordered by greedy hypervolume contribution. */
    private static List<Integer> greedy(List<double[]> points, List<Integer> front, double[] reference) {
        List<Integer> left = new ArrayList<>(front);
        List<Integer> chosen = new ArrayList<>();
        List<double[]> chosenPoints = new ArrayList<>();
        double chosenVolume = 0;
        while (!left.isEmpty()) {
            int pick = 0;
            double gain = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < left.size(); k++) {
                chosenPoints.add(points.get(left.get(k)));
                double g = hypervolume(chosenPoints, reference) - chosenVolume;
                chosenPoints.removeLast();
                if (g > gain) {
                    gain = g;
                    pick = k;
                }
            }
            int index = left.remove(pick);
            chosen.add(index);
            chosenPoints.add(points.get(index));
            chosenVolume += Math.max(0, gain);
        }
        return chosen;
    }
}
