package dev.hone.tune.tpe;

import dev.hone.tune.gp.Normal;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One side of TPE (l or g): a mixture with a kernel per observation plus a prior kernel (Optuna 3.1's
 * {@code _ParzenEstimator} with {@code consider_prior}, {@code prior_weight} 1, {@code consider_magic_clip},
 * no endpoints). A numeric kernel is a Gaussian truncated to the axis's range; a categorical kernel puts weight 1
 * on the observed choice plus {@code prior_weight / kernels} on every choice, normalised; the prior kernel is the
 * range's centre with the range's width (uniform over the choices).
 */
public final class Parzen {

    /** The prior kernel's weight (Optuna's {@code prior_weight}). */
    static final double PRIOR_WEIGHT = 1.0;
    static final double SIGMA0 = 0.2;
    /**
     * Optuna 3.1 scores a numeric kernel with the standard normal's log density of the standardised value, without
     * the −log σ term: a wide kernel counts for more than its density. Hone keeps that behaviour, because it is
     * what Optuna's measured figures rest on (with the −log σ term, TPE needed a median of 97 trials on Branin
     * over 30 seeds instead of 66).
     */
    static final boolean OPTUNA_31_DENSITY = true;

    private final Axis[] axes;
    private final int kernels;
    private final double[] weights;
    private final double[] logWeights;
    private final double[][] mu;      // [axis][kernel]
    private final double[][] sigma;
    private final double[][] logNorm; // log of each truncated kernel's mass in range, plus log σ √2π
    private final double[][][] probs; // categorical: [axis][kernel][choice]

    /**
     * @param observations each a point with one coordinate per axis (a categorical's is its choice's index), oldest
     *                     first: the weights favour the newest
     */
    public Parzen(Axis[] axes, List<double[]> observations, boolean multivariate) {
        this(axes, observations, multivariate, null);
    }

    /**
     * @param scales per observation, a factor on its kernel's weight (a warm start's earlier trials weigh less);
     *               null: 1 each
     */
    public Parzen(Axis[] axes, List<double[]> observations, boolean multivariate, double[] scales) {
        this.axes = axes;
        int n = observations.size();
        this.kernels = n + 1;
        this.weights = weights(n, scales);
        this.logWeights = new double[kernels];
        for (int k = 0; k < kernels; k++) {
            logWeights[k] = Math.log(weights[k]);
        }
        this.mu = new double[axes.length][];
        this.sigma = new double[axes.length][];
        this.logNorm = new double[axes.length][];
        this.probs = new double[axes.length][][];
        for (int p = 0; p < axes.length; p++) {
            Axis axis = axes[p];
            if (axis.categorical()) {
                probs[p] = new double[kernels][axis.choices()];
                for (int k = 0; k < kernels; k++) {
                    double total = 0;
                    for (int c = 0; c < axis.choices(); c++) {
                        probs[p][k][c] = PRIOR_WEIGHT / kernels;
                        total += probs[p][k][c];
                    }
                    if (k < n) {
                        probs[p][k][(int) observations.get(k)[p]] += 1;
                        total += 1;
                    }
                    for (int c = 0; c < axis.choices(); c++) {
                        probs[p][k][c] /= total;
                    }
                }
                continue;
            }
            double low = axis.low();
            double high = axis.high();
            double range = high - low;
            double[] m = new double[kernels];
            double[] s = new double[kernels];
            for (int k = 0; k < n; k++) {
                m[k] = observations.get(k)[p];
            }
            m[n] = 0.5 * (low + high);
            if (multivariate) {
                double bandwidth = SIGMA0 * Math.pow(Math.max(n, 1), -1.0 / (axes.length + 4)) * range;
                Arrays.fill(s, bandwidth);
            } else {
                neighbourBandwidths(m, s, low, high);
            }
            double minSigma = range / Math.min(100.0, 1.0 + kernels);
            for (int k = 0; k < kernels; k++) {
                s[k] = Math.clamp(s[k], Math.max(minSigma, 1e-12), Math.max(range, 1e-12));
            }
            s[n] = Math.max(range, 1e-12);
            mu[p] = m;
            sigma[p] = s;
            logNorm[p] = new double[kernels];
            for (int k = 0; k < kernels; k++) {
                double mass = Normal.normCdf((high - m[k]) / s[k]) - Normal.normCdf((low - m[k]) / s[k]);
                logNorm[p][k] = Math.log(Math.max(mass, 1e-300)) + (OPTUNA_31_DENSITY ? 0 : Math.log(s[k]))
                        + Normal.LOG_SQRT_2PI;
            }
        }
    }

    /**
     * Optuna's default weights: 1 each up to 25 observations, then a ramp from 1/n for the oldest; prior 1; each
     * times its scale.
     */
    private static double[] weights(int n, double[] scales) {
        double[] w = new double[n + 1];
        for (int k = 0; k < n; k++) {
            if (n < 25 || k >= n - 25) {
                w[k] = 1;
            } else {
                int ramp = n - 25;
                w[k] = ramp == 1 ? 1.0 / n : 1.0 / n + (1 - 1.0 / n) * k / (ramp - 1);
            }
        }
        for (int k = 0; scales != null && k < n; k++) {
            w[k] *= scales[k];
        }
        w[n] = PRIOR_WEIGHT;
        double total = 0;
        for (double v : w) {
            total += v;
        }
        for (int k = 0; k <= n; k++) {
            w[k] /= total;
        }
        return w;
    }

    /** Each kernel's bandwidth: the larger gap to its sorted neighbours (the range's ends count as neighbours). */
    private static void neighbourBandwidths(double[] m, double[] s, double low, double high) {
        int k = m.length;
        Integer[] order = new Integer[k];
        for (int i = 0; i < k; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(m[a], m[b]));
        double[] sorted = new double[k + 2];
        sorted[0] = low;
        sorted[k + 1] = high;
        for (int i = 0; i < k; i++) {
            sorted[i + 1] = m[order[i]];
        }
        for (int i = 0; i < k; i++) {
            double left = sorted[i + 1] - sorted[i];
            double right = sorted[i + 2] - sorted[i + 1];
            double v = Math.max(left, right);
            if (k >= 2 && i == 0) {
                v = right;
            } else if (k >= 2 && i == k - 1) {
                v = left;
            }
            s[order[i]] = v;
        }
    }

    public int pickKernel(SplittableRandom random) {
        double u = random.nextDouble();
        for (int k = 0; k < kernels - 1; k++) {
            u -= weights[k];
            if (u < 0) {
                return k;
            }
        }
        return kernels - 1;
    }

    /** A draw of axis {@code p} from kernel {@code k}. */
    public double sample(int p, int k, SplittableRandom random) {
        Axis axis = axes[p];
        if (axis.categorical()) {
            double u = random.nextDouble();
            double[] pr = probs[p][k];
            for (int c = 0; c < pr.length - 1; c++) {
                u -= pr[c];
                if (u < 0) {
                    return c;
                }
            }
            return pr.length - 1;
        }
        if (axis.high() == axis.low()) {
            return axis.low();
        }
        for (int attempt = 0; attempt < 100; attempt++) {
            double v = mu[p][k] + sigma[p][k] * random.nextGaussian();
            if (v >= axis.low() && v <= axis.high()) {
                return v;
            }
        }
        return Math.clamp(mu[p][k], axis.low(), axis.high());
    }

    public double[] sampleJoint(SplittableRandom random) {
        int k = pickKernel(random);
        double[] x = new double[axes.length];
        for (int p = 0; p < axes.length; p++) {
            x[p] = sample(p, k, random);
        }
        return x;
    }

    /** log of the mixture's density of axis {@code p} alone at {@code x}. */
    public double logPdf(int p, double x) {
        double[] terms = new double[kernels];
        for (int k = 0; k < kernels; k++) {
            terms[k] = logWeights[k] + logKernel(p, k, x);
        }
        return logSumExp(terms);
    }

    /** log of the joint mixture's density at {@code x}: each kernel a product over the axes. */
    public double logPdfJoint(double[] x) {
        double[] terms = new double[kernels];
        for (int k = 0; k < kernels; k++) {
            double t = logWeights[k];
            for (int p = 0; p < axes.length; p++) {
                t += logKernel(p, k, x[p]);
            }
            terms[k] = t;
        }
        return logSumExp(terms);
    }

    private double logKernel(int p, int k, double x) {
        if (axes[p].categorical()) {
            return Math.log(probs[p][k][(int) x]);
        }
        if (axes[p].high() == axes[p].low()) {
            return 0;
        }
        double z = (x - mu[p][k]) / sigma[p][k];
        return -0.5 * z * z - logNorm[p][k];
    }

    private static double logSumExp(double[] terms) {
        double max = Double.NEGATIVE_INFINITY;
        for (double t : terms) {
            max = Math.max(max, t);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double s = 0;
        for (double t : terms) {
            s += Math.exp(t - max);
        }
        return max + Math.log(s);
    }
}
