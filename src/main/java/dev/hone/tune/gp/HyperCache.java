package dev.hone.tune.gp;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * The hyperparameter fits a sampler made recently, so that one is not made twice: {@code strategy: auto}'s
 * prediction check fits the model to the trials before the last ten, which is the fit the suggestion made ten
 * trials earlier. A fit is looked up by its inputs (the points, the standardised values and which coordinates are
 * categorical, compared exactly), so what it returns is what {@link GaussianProcess#fit} would: the cache saves
 * time and changes no suggestion. Safe for concurrent use.
 */
public final class HyperCache {

    /** Fits kept: the check looks ten suggestions back, and a batch adds a few. */
    static final int SIZE = 16;

    private record Entry(double[][] x, double[] y, boolean[] categorical, GaussianProcess.Hyper hyper) {}

    private final Deque<Entry> entries = new ArrayDeque<>();

    /** {@link GaussianProcess#fit(double[][], double[], boolean[])}, or the same fit made before. */
    public GaussianProcess.Hyper fit(double[][] x, double[] y, boolean[] categorical) {
        synchronized (entries) {
            for (Entry e : entries) {
                if (Arrays.equals(e.y(), y) && Arrays.equals(e.categorical(), categorical)
                        && Arrays.deepEquals(e.x(), x)) {
                    return e.hyper();
                }
            }
        }
        GaussianProcess.Hyper hyper = GaussianProcess.fit(x, y, categorical);
        synchronized (entries) {
            double[][] copy = new double[x.length][];
            for (int i = 0; i < x.length; i++) {
                copy[i] = x[i].clone();
            }
            entries.addFirst(new Entry(copy, y.clone(), categorical.clone(), hyper));
            if (entries.size() > SIZE) {
                entries.removeLast();
            }
        }
        return hyper;
    }
}
