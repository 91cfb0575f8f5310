package dev.hone.tune.gp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Points observed more than once (a trial and the repeats that confirm it, {@code metric.confirm}): they measure the
 * objective's noise directly, so the fit may find as much noise as they show instead of treating trials as nearly
 * exact ({@link GaussianProcess#MAX_NOISE}), and starts from their pooled variance.
 */
final class Repeats {

    /** The noise variance's ceiling, in units of the observations' variance, once a point was observed twice. */
    static final double MAX_REPEATED_NOISE = 1;

    private Repeats() {}

    /**
     * The pooled variance of the values of points observed more than once (each group's squared deviations from
     * its mean over its size − 1, summed over the groups), or −1 when no point was.
     */
    static double pooledVariance(double[][] x, double[] y) {
        Map<List<Double>, List<Double>> byPoint = new HashMap<>();
        for (int i = 0; i < x.length; i++) {
            byPoint.computeIfAbsent(Arrays.stream(x[i]).boxed().toList(), k -> new ArrayList<>()).add(y[i]);
        }
        double squares = 0;
        int freedom = 0;
        for (List<Double> values : byPoint.values()) {
            if (values.size() < 2) {
                continue;
            }
            double mean = values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            for (double v : values) {
                squares += (v - mean) * (v - mean);
            }
            freedom += values.size() - 1;
        }
        return freedom == 0 ? -1 : squares / freedom;
    }
}
