package dev.hone.tune.gp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The Gaussian process's numerics on their own: linear algebra, the normal distribution, L-BFGS, the model. */
class NumericsTest {

    @Nested
    class LinearAlgebra {

        @Test
        void choleskyFactorsAndSolves() {
            double[] a = {4, 12, -16, 12, 37, -43, -16, -43, 98};
            double[] l = new double[9];

            assertThat(Linalg.cholesky(a, 3, l)).isTrue();
            assertThat(l).containsExactly(new double[] {2, 0, 0, 6, 1, 0, -8, 5, 3}, within(1e-12));

            double[] x = new double[3];
            double[] b = {1, 2, 3};
            Linalg.solveLower(l, 3, b, x);
            Linalg.solveUpperT(l, 3, x, x);
            for (int i = 0; i < 3; i++) { // a x = b
                assertThat(a[3 * i] * x[0] + a[3 * i + 1] * x[1] + a[3 * i + 2] * x[2]).isCloseTo(b[i], within(1e-9));
            }
            double[] inv = Linalg.inverseFromCholesky(l, 3);
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    double s = 0;
                    for (int k = 0; k < 3; k++) {
                        s += a[3 * i + k] * inv[3 * k + j];
                    }
                    assertThat(s).isCloseTo(i == j ? 1 : 0, within(1e-9));
                }
            }
        }

        @Test
        void spearmansRankCorrelation() {
            assertThat(RankCorrelation.spearman(new double[] {1, 2, 3, 4}, new double[] {10, 20, 30, 1000}))
                    .isCloseTo(1, within(1e-12));
            assertThat(RankCorrelation.spearman(new double[] {1, 2, 3}, new double[] {3, 2, 1}))
                    .isCloseTo(-1, within(1e-12));
            // ties share their average rank: ranks (1.5, 1.5, 3, 4) against (1, 2, 3, 4), ρ = 4.5 / √(4.5 · 5)
            assertThat(RankCorrelation.spearman(new double[] {5, 5, 6, 7}, new double[] {1, 2, 3, 4}))
                    .isCloseTo(4.5 / Math.sqrt(4.5 * 5), within(1e-12));
            assertThat(RankCorrelation.spearman(new double[] {1, 1}, new double[] {1, 2})).isNaN();
        }

        @Test
        void aMatrixThatIsNotPositiveDefiniteIsRefused() {
            assertThat(Linalg.cholesky(new double[] {1, 2, 2, 1}, 2, new double[4])).isFalse();
        }

        @Test
        void normalDistributionFunctions() {
            assertThat(Normal.normCdf(0)).isCloseTo(0.5, within(1e-7));
            assertThat(Normal.normCdf(1.959964)).isCloseTo(0.975, within(1e-6));
            assertThat(Normal.logNormCdf(-10)).isCloseTo(-53.2312852, within(1e-3));
            // log(zΦ(z) + φ(z)) joins its asymptotic form smoothly
            assertThat(Normal.logH(-6.0001)).isCloseTo(Normal.logH(-5.9999), within(1e-3));
            assertThat(Normal.logH(0)).isCloseTo(Math.log(Normal.normPdf(0)), within(1e-7));
        }

        @Test
        void lbfgsFindsTheMinimumOfABoundedQuadratic() {
            double[] x = {0, 0};
            double v = Lbfgs.minimize((p, g) -> {
                g[0] = 2 * (p[0] - 3);
                g[1] = 20 * (p[1] + 1);
                return (p[0] - 3) * (p[0] - 3) + 10 * (p[1] + 1) * (p[1] + 1);
            }, x, new double[] {-5, -0.5}, new double[] {5, 5}, 100);

            assertThat(x[0]).isCloseTo(3, within(1e-4));
            assertThat(x[1]).as("held at its bound").isCloseTo(-0.5, within(1e-9));
            assertThat(v).isCloseTo(2.5, within(1e-6));
        }
    }

    @Nested
    class GaussianProcessModel {

        @Test
        void interpolatesItsObservationsAndIsUnsureFarFromThem() {
            double[][] x = {{0.1}, {0.3}, {0.5}, {0.7}};
            double[] y = {1, -1, 0.5, 0};
            GaussianProcess gp = GaussianProcess.withHyper(x, y, GaussianProcess.fit(x, y));
            double[] k = new double[4];
            double[] out = new double[2];

            gp.predict(new double[] {0.3}, k, out);
            assertThat(out[0]).isCloseTo(-1, within(0.1));
            double near = out[1];
            gp.predict(new double[] {1.0}, k, out);
            assertThat(out[1]).isGreaterThan(10 * near);
        }

        @Test
        void aCoordinateThatDoesNotMatterGetsALongLengthScale() {
            SplittableRandom r = new SplittableRandom(1);
            double[][] x = new double[30][2];
            double[] y = new double[30];
            for (int i = 0; i < 30; i++) {
                x[i][0] = r.nextDouble();
                x[i][1] = r.nextDouble();
                y[i] = Math.sin(6 * x[i][0]);
            }
            GaussianProcess.Hyper h = GaussianProcess.fit(x, y);

            assertThat(h.lengths()[1]).isGreaterThan(3 * h.lengths()[0]);
        }
    
        @Test
        void theLikelihoodsGradientMatchesFiniteDifferencesWithCategoricalCoordinates() {
            SplittableRandom r = new SplittableRandom(3);
            double[][] x = new double[12][4]; // a float, a three-way categorical (one-hot), nothing else
            double[] y = new double[12];
            for (int i = 0; i < 12; i++) {
                x[i][0] = r.nextDouble();
                x[i][1 + r.nextInt(3)] = 1;
                y[i] = Math.sin(5 * x[i][0]) + x[i][2] - 0.5 * x[i][3];
            }
            var f = new GaussianProcess.Likelihood(x, y, new boolean[] {false, true, true, true});
            double[] theta = {Math.log(0.4), Math.log(1.2), Math.log(0.7), Math.log(2.0), 0.1, Math.log(1e-3)};
            double[] grad = new double[6];
            f.value(theta, grad);
            for (int d = 0; d < 6; d++) {
                double[] plus = theta.clone();
                double[] minus = theta.clone();
                plus[d] += 1e-6;
                minus[d] -= 1e-6;
                double numeric = (f.value(plus, new double[6]) - f.value(minus, new double[6])) / 2e-6;
                assertThat(grad[d]).as("d/dθ_%d", d).isCloseTo(numeric, within(1e-4 * Math.max(1, Math.abs(numeric))));
            }
        }

        @Test
        void aDifferentChoiceIsOneStepAwayWhicheverChoiceItIs() {
            double[][] x = {{0.2, 1, 0, 0}, {0.8, 0, 1, 0}, {0.5, 0, 0, 1}, {0.3, 1, 0, 0}};
            double[] y = {0, 1, -1, 0.2};
            boolean[] categorical = {false, true, true, true};
            var h = new GaussianProcess.Hyper(new double[] {0.5, 1, 1, 1}, categorical, 1, 1e-4);
            GaussianProcess gp = GaussianProcess.withHyper(x, y, h);

            assertThat(gp.kernelAt(new double[] {0.2, 1, 0, 0}, new double[] {0.2, 0, 1, 0}))
                    .isCloseTo(Math.exp(-2), within(1e-12))
                    .isCloseTo(gp.kernelAt(new double[] {0.2, 1, 0, 0}, new double[] {0.2, 0, 0, 1}), within(1e-12));
        }
    }
}
