package dev.hone.tune.gp;

import java.util.Arrays;

/**
 * A Gaussian-process regression model on the unit cube: zero mean (the observations are standardised), an output
 * scale times a Matérn-5/2 kernel on the numeric coordinates times an exponentiated Hamming kernel on the
 * categorical ones (one-hot coordinates, {@code exp(−Σ (a_j − b_j)² / l_j²)}: two points that differ in one choice
 * are correlated by {@code exp(−1/l_p² − 1/l_q²)}, however far apart the choices' one-hot coordinates are, as in
 * CoCaBO and Casmopolitan), one length scale per coordinate (ARD), and a noise variance. The hyperparameters are
 * the maximum a posteriori of the log marginal likelihood under weak priors (Gamma(3, 6) on numeric length scales,
 * Gamma(3, 2) on categorical ones (mode 1.5: a different choice starts as a related point, not an unrelated one),
 * Gamma(2, 0.15) on the output scale, Gamma(1.1, 0.05) on the noise: BoTorch's classic choice), found by projected
 * L-BFGS with analytic gradients, from two starts (one past {@link #FIT_POINTS} observations); the noise is capped
 * at {@link #MAX_NOISE}, unless some point was observed more than once: then it is fitted up to
 * {@link Repeats#MAX_REPEATED_NOISE} from the repeats' pooled variance ({@link Repeats}). The fit is bounded: at most {@link #FIT_POINTS} observations (the best half and an even
 * spread of the rest) and {@link #FIT_EVALUATIONS} likelihood evaluations per start, so it takes milliseconds
 * whatever the history's size.
 */
public final class GaussianProcess {

    static final int FIT_POINTS = 40;
    static final int FIT_EVALUATIONS = 50;
    /**
     * The noise variance's ceiling, in units of the observations' variance. Trials are treated as nearly exact: a
     * training run is close to deterministic for its parameters, and a model free to explain a lone good trial as
     * noise stops searching near it (on Hartmann-6 a ceiling of 1 took a median of 32 trials to the target, 0.01
     * took 21).
     */
    static final double MAX_NOISE = 0.01;

    private static final double SQRT5 = Math.sqrt(5);
    /** A categorical coordinate's length scale where the fit starts, and its prior's mode. */
    private static final double CATEGORICAL_START = 1.5;
    private static final double MIN_LOG_LENGTH = Math.log(1e-3);
    private static final double MAX_LOG_LENGTH = Math.log(1e2);
    private static final double MIN_LOG_SCALE = Math.log(1e-2);
    private static final double MAX_LOG_SCALE = Math.log(1e2);
    private static final double MIN_LOG_NOISE = Math.log(1e-6);
    private static final double MAX_LOG_NOISE = Math.log(MAX_NOISE);

    /** Fitted hyperparameters: length scales, output scale (variance) and noise variance. */
    public record Hyper(double[] lengths, boolean[] categorical, double scale, double noise) {}

    private final int n;
    private final int dims;
    private final double[][] x;
    private final double[] inverseLengthsSq;
    /** The points by coordinate: {@code columns[d][i] = x[i][d]}. */
    private final double[][] columns;
    private final boolean anyCategorical;
    private final boolean[] categorical;
    private final double scale;
    private final double[] chol;
    /** The Cholesky factor transposed (upper triangular), for {@link #predict}'s column-wise substitution. */
    private final double[] cholT;
    private final double[] alpha;
    private final Hyper hyper;

    private GaussianProcess(double[][] x, double[] y, Hyper hyper, double[] extraNoise) {
        this.n = x.length;
        this.dims = x.length == 0 ? 0 : x[0].length;
        this.x = x;
        this.hyper = hyper;
        this.scale = hyper.scale();
        this.categorical = hyper.categorical();
        this.columns = new double[dims][n];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < dims; d++) {
                columns[d][i] = x[i][d];
            }
        }
        boolean any = false;
        for (boolean c : categorical) {
            any |= c;
        }
        this.anyCategorical = any;
        this.inverseLengthsSq = new double[dims];
        for (int d = 0; d < dims; d++) {
            inverseLengthsSq[d] = 1 / (hyper.lengths()[d] * hyper.lengths()[d]);
        }
        double[] k = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = kernel(x[i], x[j]);
                k[i * n + j] = v;
                k[j * n + i] = v;
            }
        }
        this.chol = new double[n * n];
        double jitter = 0;
        for (int attempt = 0; ; attempt++) {
            for (int i = 0; i < n; i++) {
                k[i * n + i] = scale + hyper.noise() + jitter + (extraNoise == null ? 0 : extraNoise[i]);
            }
            if (Linalg.cholesky(k, n, chol)) {
                break;
            }
            if (attempt == 8) {
                throw new IllegalStateException("kernel matrix is not positive definite");
            }
            jitter = jitter == 0 ? 1e-8 * scale : jitter * 10;
        }
        this.cholT = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                cholT[j * n + i] = chol[i * n + j];
            }
        }
        this.alpha = new double[n];
        Linalg.solveLower(chol, n, y, alpha);
        Linalg.solveUpperT(chol, n, alpha, alpha);
    }

    /** A model of {@code y} (standardised) at {@code x} with the given hyperparameters. */
    public static GaussianProcess withHyper(double[][] x, double[] y, Hyper hyper) {
        return new GaussianProcess(x, y, hyper, null);
    }

    /**
     * As {@link #withHyper(double[][], double[], Hyper)}, observation i with {@code extraNoise[i]} more noise
     * variance than the fitted one (a warm start's earlier trials: known less well than this run's).
     */
    public static GaussianProcess withHyper(double[][] x, double[] y, Hyper hyper, double[] extraNoise) {
        return new GaussianProcess(x, y, hyper, extraNoise);
    }

    Hyper hyper() {
        return hyper;
    }

    /** Writes the posterior mean and variance of the latent function at {@code u} into {@code out[0..1]}. */
    void predict(double[] u, double[] kstar, double[] out) {
        // the kernel to every point, coordinate by coordinate over the points' columns (vectorised, as below)
        double[] r2 = kstar;
        double[] hamming = anyCategorical ? new double[n] : null;
        Arrays.fill(r2, 0, n, 0);
        for (int d = 0; d < dims; d++) {
            double[] column = columns[d];
            double ud = u[d];
            double inv = inverseLengthsSq[d];
            double[] sum = categorical[d] ? hamming : r2;
            for (int i = 0; i < n; i++) {
                double t = column[i] - ud;
                sum[i] += t * t * inv;
            }
        }
        double mean = 0;
        for (int i = 0; i < n; i++) {
            double q = r2[i];
            double r = Math.sqrt(q);
            double h = hamming == null ? 0 : hamming[i];
            kstar[i] = scale * (1 + SQRT5 * r + 5.0 / 3 * q) * Math.exp(-SQRT5 * r - h);
            mean += kstar[i] * alpha[i];
        }
        double var = scale;
        // forward substitution, v = L⁻¹ k*, accumulating vᵀv; column by column (on Lᵀ's rows), so that the inner
        // loop is an axpy over contiguous memory, which the JIT vectorises (a dot product it does not: about half
        // of a suggestion's time at 200 trials went here)
        for (int i = 0; i < n; i++) {
            int ri = i * n;
            double s = kstar[i] / cholT[ri + i];
            kstar[i] = s;
            var -= s * s;
            for (int k = i + 1; k < n; k++) {
                kstar[k] -= cholT[ri + k] * s;
            }
        }
        out[0] = mean;
        out[1] = Math.max(var, 1e-12 * scale);
    }

    int size() {
        return n;
    }

    /** The posterior mean of the latent function at {@code u}. */
    public double mean(double[] u) {
        double[] out = new double[2];
        predict(u, new double[n], out);
        return out[0];
    }

    /** The kernel between two points, for tests. */
    double kernelAt(double[] a, double[] b) {
        return kernel(a, b);
    }

    private double kernel(double[] a, double[] b) {
        double r2 = 0;
        double hamming = 0;
        for (int d = 0; d < dims; d++) {
            double t = a[d] - b[d];
            if (categorical[d]) {
                hamming += t * t * inverseLengthsSq[d];
            } else {
                r2 += t * t * inverseLengthsSq[d];
            }
        }
        double r = Math.sqrt(r2);
        return scale * (1 + SQRT5 * r + 5.0 / 3 * r2) * Math.exp(-SQRT5 * r - hamming);
    }

    // ---- fitting ----------------------------------------------------------------------------------------------

    /** {@link #fit(double[][], double[], boolean[])} with every coordinate numeric. */
    public static Hyper fit(double[][] x, double[] y) {
        return fit(x, y, new boolean[x[0].length]);
    }

    /**
     * Fits the hyperparameters to (a bounded subset of) the observations; {@code y} standardised,
     * {@code categorical[d]} when coordinate d is one of a categorical's one-hot coordinates.
     */
    public static Hyper fit(double[][] x, double[] y, boolean[] categorical) {
        int[] subset = subset(y);
        double[][] xs = new double[subset.length][];
        double[] ys = new double[subset.length];
        for (int i = 0; i < subset.length; i++) {
            xs[i] = x[subset[i]];
            ys[i] = y[subset[i]];
        }
        Likelihood f = new Likelihood(xs, ys, categorical);
        int dims = x[0].length;
        double[] lower = new double[dims + 2];
        double[] upper = new double[dims + 2];
        for (int d = 0; d < dims; d++) {
            lower[d] = MIN_LOG_LENGTH;
            upper[d] = MAX_LOG_LENGTH;
        }
        lower[dims] = MIN_LOG_SCALE;
        upper[dims] = MAX_LOG_SCALE;
        double repeated = Repeats.pooledVariance(x, y);
        lower[dims + 1] = MIN_LOG_NOISE;
        upper[dims + 1] = repeated < 0 ? MAX_LOG_NOISE : Math.log(Repeats.MAX_REPEATED_NOISE);
        double noiseStart = repeated < 0 ? 1e-3 : Math.min(Math.max(repeated, 1e-6), Repeats.MAX_REPEATED_NOISE);
        double[] best = null;
        double bestValue = Double.POSITIVE_INFINITY;
        // a second start, from short length scales, while the data are few enough for it to matter
        double[] starts = x.length <= FIT_POINTS ? new double[] {0.5, 0.15} : new double[] {0.5};
        for (double length : starts) {
            double[] theta = new double[dims + 2];
            for (int d = 0; d < dims; d++) {
                theta[d] = Math.log(categorical[d] ? CATEGORICAL_START : length);
            }
            theta[dims] = 0;
            theta[dims + 1] = Math.log(noiseStart);
            double value = Lbfgs.minimize(f, theta, lower, upper, FIT_EVALUATIONS);
            if (value < bestValue) {
                bestValue = value;
                best = theta;
            }
        }
        double[] lengths = new double[dims];
        for (int d = 0; d < dims; d++) {
            lengths[d] = Math.exp(best[d]);
        }
        return new Hyper(lengths, categorical.clone(), Math.exp(best[dims]), Math.exp(best[dims + 1]));
    }

    /** Which observations the fit uses: all up to FIT_POINTS, else the best half and an even spread of the rest. */
    static int[] subset(double[] y) {
        int n = y.length;
        if (n <= FIT_POINTS) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(y[a], y[b]));
        int best = FIT_POINTS / 2;
        int[] out = new int[FIT_POINTS];
        for (int i = 0; i < best; i++) {
            out[i] = order[i];
        }
        int rest = FIT_POINTS - best;
        for (int i = 0; i < rest; i++) {
            out[best + i] = order[best + (int) ((long) i * (n - best) / rest)];
        }
        return out;
    }

    /** The negative log posterior of the hyperparameters θ = (log lengths, log scale, log noise) and its gradient. */
    static final class Likelihood implements Lbfgs.Function {
        private final int n;
        private final int dims;
        private final double[] y;
        private final boolean[] categorical;
        private final double[][] sq; // per pair (i > j, packed), per coordinate: squared difference
        private final double[] k;
        private final double[] kernelPart;
        private final double[] l;
        private final double[] alpha;

        Likelihood(double[][] x, double[] y, boolean[] categorical) {
            this.n = x.length;
            this.dims = x[0].length;
            this.y = y;
            this.categorical = categorical;
            this.sq = new double[n * (n - 1) / 2][dims];
            int p = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < i; j++, p++) {
                    for (int d = 0; d < dims; d++) {
                        double t = x[i][d] - x[j][d];
                        sq[p][d] = t * t;
                    }
                }
            }
            this.k = new double[n * n];
            this.kernelPart = new double[n * (n - 1) / 2];
            this.l = new double[n * n];
            this.alpha = new double[n];
        }

        @Override
        public double value(double[] theta, double[] grad) {
            double[] inv = new double[dims];
            for (int d = 0; d < dims; d++) {
                inv[d] = Math.exp(-2 * theta[d]);
            }
            double scale = Math.exp(theta[dims]);
            double noise = Math.exp(theta[dims + 1]);
            double[] expPart = new double[kernelPart.length];
            int p = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < i; j++, p++) {
                    double r2 = 0;
                    double hamming = 0;
                    double[] s = sq[p];
                    for (int d = 0; d < dims; d++) {
                        if (categorical[d]) {
                            hamming += s[d] * inv[d];
                        } else {
                            r2 += s[d] * inv[d];
                        }
                    }
                    double r = Math.sqrt(r2);
                    double e = Math.exp(-SQRT5 * r - hamming);
                    double v = scale * (1 + SQRT5 * r + 5.0 / 3 * r2) * e;
                    kernelPart[p] = v;
                    expPart[p] = scale * 5.0 / 3 * (1 + SQRT5 * r) * e; // d k / d log l_d = this · s_d / l_d²
                    k[i * n + j] = v;
                    k[j * n + i] = v;
                }
                k[i * n + i] = scale + noise + 1e-9;
            }
            if (!Linalg.cholesky(k, n, l)) {
                Arrays.fill(grad, 0);
                return 1e10;
            }
            Linalg.solveLower(l, n, y, alpha);
            double fit = 0;
            for (int i = 0; i < n; i++) {
                fit += alpha[i] * alpha[i];
            }
            Linalg.solveUpperT(l, n, alpha, alpha);
            double logDet = 0;
            for (int i = 0; i < n; i++) {
                logDet += Math.log(l[i * n + i]);
            }
            double nll = 0.5 * fit + logDet + 0.5 * n * Math.log(2 * Math.PI);
            // W = α αᵀ − K⁻¹; d(−log L)/dθ = −½ Σ W ∘ dK/dθ
            double[] kinv = Linalg.inverseFromCholesky(l, n);
            Arrays.fill(grad, 0);
            double traceW = 0;
            for (int i = 0; i < n; i++) {
                traceW += alpha[i] * alpha[i] - kinv[i * n + i];
            }
            double gScale = 0.5 * traceW * scale; // the diagonal's share of d K / d log scale
            p = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < i; j++, p++) {
                    double w = 2 * (alpha[i] * alpha[j] - kinv[i * n + j]); // both triangles
                    gScale += 0.5 * w * kernelPart[p];
                    double c = 0.5 * w * expPart[p];
                    double h = w * kernelPart[p]; // d k / d log l_d = k · 2 s_d / l_d² on a categorical coordinate
                    double[] s = sq[p];
                    for (int d = 0; d < dims; d++) {
                        grad[d] -= (categorical[d] ? h : c) * s[d] * inv[d];
                    }
                }
            }
            grad[dims] = -gScale;
            grad[dims + 1] = -0.5 * traceW * noise;
            // priors, as densities of θ (log-space Jacobian included): Gamma(a, b) on e^θ gives a θ − b e^θ
            for (int d = 0; d < dims; d++) {
                double e = Math.exp(theta[d]);
                double rate = categorical[d] ? 3 / CATEGORICAL_START : 6;
                nll -= 3 * theta[d] - rate * e;
                grad[d] -= 3 - rate * e;
            }
            nll -= 2 * theta[dims] - 0.15 * scale;
            grad[dims] -= 2 - 0.15 * scale;
            nll -= 1.1 * theta[dims + 1] - 0.05 * noise;
            grad[dims + 1] -= 1.1 - 0.05 * noise;
            return nll;
        }
    }
}
