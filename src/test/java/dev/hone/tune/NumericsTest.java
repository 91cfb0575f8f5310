package dev.hone.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

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
        void aMatrixThatIsNotPositiveDefiniteIsRefused() {
            assertThat(Linalg.cholesky(new double[] {1, 2, 2, 1}, 2, new double[4])).isFalse();
        }

        @Test
        void normalDistributionFunctions() {
            assertThat(Linalg.normCdf(0)).isCloseTo(0.5, within(1e-7));
            assertThat(Linalg.normCdf(1.959964)).isCloseTo(0.975, within(1e-6));
            assertThat(Linalg.logNormCdf(-10)).isCloseTo(-53.2312852, within(1e-3));
            // log(zΦ(z) + φ(z)) joins its asymptotic form smoothly
            assertThat(Linalg.logH(-6.0001)).isCloseTo(Linalg.logH(-5.9999), within(1e-3));
            assertThat(Linalg.logH(0)).isCloseTo(Math.log(Linalg.normPdf(0)), within(1e-7));
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
    }

    @Nested
    class UnitCubeEncoding {

        final UnitCube cube = new UnitCube(List.of(new FloatParam("lr", 1e-4, 1, true),
                new IntParam("units", 8, 512, true), new IntParam("layers", 1, 4, false),
                new CategoricalParam("kernel", List.of("rbf", "poly", "linear"))));

        @Test
        void aCategoricalIsOneCoordinatePerChoice() {
            assertThat(cube.dims()).isEqualTo(6);
        }

        @Test
        void encodingThenDecodingGivesTheSameParameterSet() {
            Map<String, Object> set = Map.of("lr", 0.01, "units", 64L, "layers", 3L, "kernel", "poly");

            double[] u = cube.encode(set);

            assertThat(u[0]).isCloseTo(0.5, within(1e-12)); // 0.01 is halfway between 1e-4 and 1 in log space
            assertThat(cube.decode(u.clone())).containsOnlyKeys("lr", "units", "layers", "kernel")
                    .containsEntry("units", 64L).containsEntry("layers", 3L).containsEntry("kernel", "poly");
            assertThat((Double) cube.decode(u.clone()).get("lr")).isCloseTo(0.01, within(1e-12));
        }

        @Test
        void snappingMovesAPointOntoARunnableParameterSet() {
            double[] u = {1.7, 0.5, 0.4, 0.2, 0.9, 0.3};

            cube.snap(u);

            assertThat(u[0]).isEqualTo(1.0);
            assertThat(new double[] {u[3], u[4], u[5]}).containsExactly(0, 1, 0);
            assertThat(cube.encode(cube.decode(u.clone()))).containsExactly(u, within(1e-12));
        }

        @Test
        void aValueOutsideTheSpaceIsNotEncoded() {
            assertThat(cube.encode(Map.of("lr", 0.01, "units", 64L, "layers", 3L, "kernel", "sigmoid"))).isNull();
            assertThat(cube.encode(Map.of("lr", 0.01))).isNull();
        }

        @Test
        void aLatinHypercubeUsesEveryStratumOfEveryParameter() {
            double[][] points = cube.latinHypercube(4, new SplittableRandom(3));

            assertThat(points.length).isEqualTo(4);
            assertThat(Arrays.stream(points).map(p -> (int) (p[2] * 4)).sorted().toList())
                    .as("layers 1..4, one each").containsExactly(0, 1, 2, 3);
        }
    }
}
