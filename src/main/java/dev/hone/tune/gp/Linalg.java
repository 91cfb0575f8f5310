package dev.hone.tune.gp;

import java.util.Arrays;

/**
 * The small dense linear algebra the Gaussian process needs. Matrices are row-major {@code double[n * n]}; only the
 * lower triangle of a Cholesky factor is used.
 */
final class Linalg {

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
}
