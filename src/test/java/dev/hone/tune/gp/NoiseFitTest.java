package dev.hone.tune.gp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The noise the fit finds: treated as nearly exact without repeats, measured from them with. */
class NoiseFitTest {

    /** Ten points on a smooth 2-D function, each observed {@code times} times with noise of {@code sd}. */
    static double[][] x(int times) {
        double[][] x = new double[10 * times][];
        for (int i = 0; i < x.length; i++) {
            int p = i / times;
            x[i] = new double[] {(p * 0.37) % 1, (p * 0.61 + 0.1) % 1};
        }
        return x;
    }

    static double[] y(double[][] x, double sd, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.sin(6 * x[i][0]) + Math.cos(4 * x[i][1]) + sd * gaussian(random);
        }
        return standardised(y);
    }

    static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    static double[] standardised(double[] y) {
        double mean = java.util.Arrays.stream(y).average().orElseThrow();
        double var = java.util.Arrays.stream(y).map(v -> (v - mean) * (v - mean)).sum() / y.length;
        return java.util.Arrays.stream(y).map(v -> (v - mean) / Math.sqrt(var)).toArray();
    }

    @Test
    void noisyRepeatsAreFittedWithMoreNoiseThanExactOnesAndThanTheCeilingWithout() {
        double[][] x = x(3);
        double exact = GaussianProcess.fit(x, y(x, 0, 1)).noise();
        double noisy = GaussianProcess.fit(x, y(x, 0.4, 1)).noise();

        assertThat(exact).isLessThan(GaussianProcess.MAX_NOISE);
        assertThat(noisy).isGreaterThan(GaussianProcess.MAX_NOISE).isGreaterThan(20 * exact);
    }

    @Test
    void withoutRepeatsTheNoiseStaysUnderItsCeiling() {
        double[][] x = x(1);

        assertThat(GaussianProcess.fit(x, y(x, 0.4, 1)).noise())
                .isLessThanOrEqualTo(GaussianProcess.MAX_NOISE * (1 + 1e-9)); // exp(log(c)) may round up
    }

    @Test
    void pooledVarianceOfRepeatedPointsOnly() {
        double[][] x = {{0.1}, {0.1}, {0.5}, {0.9}, {0.9}, {0.9}};
        double[] y = {1, 3, 100, 0, 0, 3};

        assertThat(Repeats.pooledVariance(x, y)).isEqualTo((2.0 + 6) / 3);
        assertThat(Repeats.pooledVariance(new double[][] {{0.1}, {0.2}}, new double[] {1, 2})).isEqualTo(-1);
    }
}
