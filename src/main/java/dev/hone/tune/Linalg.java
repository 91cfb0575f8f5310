package dev.hone.tune;

import java.util.Arrays;

/**
 * The small dense linear algebra and normal-distribution functions the Gaussian process needs. Matrices are
 * row-major {@code double[n * n]}; only the lower triangle of a Cholesky factor is used.
 */
final class Linalg {

    static final double SQRT_2PI = Math.sqrt(2 * Math.PI);
    static final double LOG_SQRT_2PI = Math.log(SQRT_2PI);

    private Linalg() {}

    /**
     * Cholesky factor L (lower, row-major) of the symmetric positive definite {@code a}: {@code a = L Lᵀ}.
     * Returns false when {@code a} is not positive definite (numerically).
     */
    static boolean cholesky(double[] a, int n, double[] l) {
        for (int i = 0; i < n; i++) {
            int ri = i * n;
            for (int j = 0; j <= i; j++) {
                int rj = j * n;
                double s = a[ri + j];
                for (int k = 0; k < j; k++) {
                    s -= l[ri + k] * l[rj + k];
                }
                if (i == j) {
                    if (!(s > 0) || Double.isNaN(s)) {
                        return false;
                    }
                    l[ri + i] = Math.sqrt(s);
                } else {
                    l[ri + j] = s / l[rj + j];
                }
            }
            for (int j = i + 1; j < n; j++) {
                l[ri + j] = 0;
            }
        }
        return true;
    }

    /** Solves {@code L y = b} for lower-triangular L; {@code y} may be {@code b}. */
    static void solveLower(double[] l, int n, double[] b, double[] y) {
        for (int i = 0; i < n; i++) {
            int ri = i * n;
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= l[ri + k] * y[k];
            }
            y[i] = s / l[ri + i];
        }
    }

    /** Solves {@code Lᵀ x = y} for lower-triangular L; {@code x} may be {@code y}. */
    static void solveUpperT(double[] l, int n, double[] y, double[] x) {
        for (int i = n - 1; i >= 0; i--) {
            double s = y[i];
            for (int k = i + 1; k < n; k++) {
                s -= l[k * n + i] * x[k];
            }
            x[i] = s / l[i * n + i];
        }
    }

    /** The inverse of {@code L Lᵀ} from its Cholesky factor, symmetric, row-major. */
    static double[] inverseFromCholesky(double[] l, int n) {
        // inv(L) column by column, then inv(L)ᵀ inv(L)
        double[] li = new double[n * n];
        double[] e = new double[n];
        double[] col = new double[n];
        for (int j = 0; j < n; j++) {
            Arrays.fill(e, 0);
            e[j] = 1;
            solveLower(l, n, e, col);
            for (int i = 0; i < n; i++) {
                li[i * n + j] = col[i];
            }
        }
        double[] inv = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int k = i; k < n; k++) { // inv(L) is lower: rows k >= max(i, j)
                    s += li[k * n + i] * li[k * n + j];
                }
                inv[i * n + j] = s;
                inv[j * n + i] = s;
            }
        }
        return inv;
    }

    static double normPdf(double z) {
        return Math.exp(-0.5 * z * z) / SQRT_2PI;
    }

    static double normCdf(double z) {
        return 0.5 * erfc(-z / Math.sqrt(2));
    }

    /** log Φ(z), accurate far into the lower tail. */
    static double logNormCdf(double z) {
        if (z > -6) {
            return Math.log(normCdf(z));
        }
        double z2 = z * z;
        return -0.5 * z2 - LOG_SQRT_2PI - Math.log(-z) + Math.log1p(-1 / z2 + 3 / (z2 * z2));
    }

    /** log(z Φ(z) + φ(z)): the log of expected improvement per unit of standard deviation. */
    static double logH(double z) {
        if (z > -6) {
            return Math.log(Math.max(z * normCdf(z) + normPdf(z), Double.MIN_NORMAL));
        }
        double z2 = z * z;
        return -0.5 * z2 - LOG_SQRT_2PI - 2 * Math.log(-z) + Math.log1p(-3 / z2 + 15 / (z2 * z2));
    }

    /** Complementary error function, |relative error| < 1.2e-7 (Numerical Recipes' erfcc). */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
