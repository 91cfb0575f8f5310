package dev.hone.tune.importance;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Pearson divergence {@code Σ p_all · (p_top / p_all − 1)²} between the distribution of one parameter over the
 * best trials (the first {@code top} values) and over all of them: Parzen estimates with Scott's bandwidth on a grid
 * of the observed range for numbers, frequencies with one prior count each for categories. A prior (one uniform
 * pseudo-observation) keeps both densities positive.
 */
final class Divergence {

    private static final int GRID = 50;

    private Divergence() {
    }

    static double pearson(List<Object> values, int top) {
        boolean numeric = values.stream().allMatch(v -> v == null || v instanceof Number && !(v instanceof Boolean));
        return numeric ? numeric(values, top) : categorical(values, top);
    }

    private static double numeric(List<Object> values, int top) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Object v : values) {
            if (v != null) {
                double x = ((Number) v).doubleValue();
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
        }
        if (!(hi > lo)) {
            return 0;  // one value everywhere: nothing to prefer
        }
        double[] all = new double[values.size()];
        int n = 0;
        for (Object v : values) {
            all[n++] = v == null ? Double.NaN : (((Number) v).doubleValue() - lo) / (hi - lo);
        }
        double[] pAll = density(all, all.length);
        double[] pTop = density(all, top);
        double sum = 0;
        for (int i = 0; i < GRID; i++) {
            double ratio = pTop[i] / pAll[i] - 1;
            sum += pAll[i] * ratio * ratio;
        }
        return sum;
    }

    /** A Parzen estimate of the first {@code count} points (in [0, 1]; NaN skipped) on the grid, summing to 1. */
    private static double[] density(double[] points, int count) {
        int n = 0;
        double mean = 0;
        for (int i = 0; i < count; i++) {
            if (!Double.isNaN(points[i])) {
                n++;
                mean += points[i];
            }
        }
        mean = n == 0 ? 0.5 : mean / n;
        double variance = 0;
        for (int i = 0; i < count; i++) {
            if (!Double.isNaN(points[i])) {
                variance += (points[i] - mean) * (points[i] - mean);
            }
        }
        double sd = n > 1 ? Math.sqrt(variance / (n - 1)) : 0;
        double bandwidth = Math.max(1.06 * Math.max(sd, 1e-3) * Math.pow(Math.max(n, 1), -0.2), 0.5 / GRID);
        double[] p = new double[GRID];
        for (int i = 0; i < count; i++) {
            if (Double.isNaN(points[i])) {
                continue;
            }
            for (int g = 0; g < GRID; g++) {
                double z = ((g + 0.5) / GRID - points[i]) / bandwidth;
                p[g] += Math.exp(-0.5 * z * z);
            }
        }
        normalise(p);
        for (int g = 0; g < GRID; g++) {
            p[g] = (p[g] * n + 1.0 / GRID) / (n + 1);  // the prior: one observation spread evenly
        }
        return p;
    }

    private static double categorical(List<Object> values, int top) {
        Map<String, double[]> counts = new HashMap<>();  // category → {top, all}
        for (int i = 0; i < values.size(); i++) {
            double[] c = counts.computeIfAbsent(String.valueOf(values.get(i)), k -> new double[2]);
            c[1]++;
            if (i < top) {
                c[0]++;
            }
        }
        if (counts.size() < 2) {
            return 0;
        }
        double k = counts.size();
        double sum = 0;
        for (double[] c : counts.values()) {
            double pTop = (c[0] + 1) / (top + k);
            double pAll = (c[1] + 1) / (values.size() + k);
            double ratio = pTop / pAll - 1;
            sum += pAll * ratio * ratio;
        }
        return sum;
    }

    private static void normalise(double[] p) {
        double total = 0;
        for (double x : p) {
            total += x;
        }
        if (total > 0) {
            for (int i = 0; i < p.length; i++) {
                p[i] /= total;
            }
        }
    }
}
