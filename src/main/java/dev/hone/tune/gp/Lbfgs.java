package dev.hone.tune.gp;

/**
 * A small box-constrained L-BFGS: the two-loop recursion over the last {@value #MEMORY} steps, the step projected
 * onto the box, a backtracking (Armijo) line search. Enough for a dozen smooth hyperparameters.
 */
final class Lbfgs {

    static final int MEMORY = 6;

    /** A smooth function to minimise; writes its gradient into {@code grad}. */
    interface Function {
        double value(double[] x, double[] grad);
    }

    private Lbfgs() {}

    /** Minimises {@code f} from {@code x} (updated in place) within [lower, upper]; returns the value reached. */
    static double minimize(Function f, double[] x, double[] lower, double[] upper, int maxEvaluations) {
        int d = x.length;
        project(x, lower, upper);
        double[] g = new double[d];
        double fx = f.value(x, g);
        int evaluations = 1;
        double[][] s = new double[MEMORY][d];
        double[][] y = new double[MEMORY][d];
        double[] rho = new double[MEMORY];
        int stored = 0;
        int head = 0;
        double[] dir = new double[d];
        double[] alpha = new double[MEMORY];
        double[] xNew = new double[d];
        double[] gNew = new double[d];
        while (evaluations < maxEvaluations) {
            // direction: −H g by the two-loop recursion, with bound-pinned coordinates held still
            for (int i = 0; i < d; i++) {
                dir[i] = pinned(x, g, lower, upper, i) ? 0 : -g[i];
            }
            for (int k = 0; k < stored; k++) {
                int j = Math.floorMod(head - 1 - k, MEMORY);
                alpha[j] = rho[j] * dot(s[j], dir);
                axpy(-alpha[j], y[j], dir);
            }
            if (stored > 0) {
                int last = Math.floorMod(head - 1, MEMORY);
                double gamma = dot(s[last], y[last]) / dot(y[last], y[last]);
                for (int i = 0; i < d; i++) {
                    dir[i] *= gamma;
                }
            }
            for (int k = stored - 1; k >= 0; k--) {
                int j = Math.floorMod(head - 1 - k, MEMORY);
                double beta = rho[j] * dot(y[j], dir);
                axpy(alpha[j] - beta, s[j], dir);
            }
            for (int i = 0; i < d; i++) {
                if (pinned(x, g, lower, upper, i)) {
                    dir[i] = 0;
                }
            }
            double slope = dot(g, dir);
            if (!(slope < 0)) { // not a descent direction: fall back to steepest descent
                for (int i = 0; i < d; i++) {
                    dir[i] = pinned(x, g, lower, upper, i) ? 0 : -g[i];
                }
                slope = dot(g, dir);
                stored = 0;
                if (!(slope < -1e-12)) {
                    break;
                }
            }
            double step = stored == 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
            boolean moved = false;
            double fNew = fx;
            while (evaluations < maxEvaluations) {
                for (int i = 0; i < d; i++) {
                    xNew[i] = x[i] + step * dir[i];
                }
                project(xNew, lower, upper);
                fNew = f.value(xNew, gNew);
                evaluations++;
                double decrease = 0;
                for (int i = 0; i < d; i++) {
                    decrease += g[i] * (xNew[i] - x[i]);
                }
                if (fNew <= fx + 1e-4 * decrease && Double.isFinite(fNew)) {
                    moved = true;
                    break;
                }
                step *= 0.3;
                if (step < 1e-10) {
                    break;
                }
            }
            if (!moved) {
                break;
            }
            double sy = 0;
            for (int i = 0; i < d; i++) {
                s[head][i] = xNew[i] - x[i];
                y[head][i] = gNew[i] - g[i];
                sy += s[head][i] * y[head][i];
            }
            if (sy > 1e-12) {
                rho[head] = 1 / sy;
                head = (head + 1) % MEMORY;
                stored = Math.min(stored + 1, MEMORY);
            }
            double change = fx - fNew;
            System.arraycopy(xNew, 0, x, 0, d);
            System.arraycopy(gNew, 0, g, 0, d);
            fx = fNew;
            if (change < 1e-9 * Math.max(1, Math.abs(fx))) {
                break;
            }
        }
        return fx;
    }

    private static boolean pinned(double[] x, double[] g, double[] lower, double[] upper, int i) {
        return (x[i] <= lower[i] && g[i] > 0) || (x[i] >= upper[i] && g[i] < 0);
    }

    private static void project(double[] x, double[] lower, double[] upper) {
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.clamp(x[i], lower[i], upper[i]);
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += a * x[i];
        }
    }
}
