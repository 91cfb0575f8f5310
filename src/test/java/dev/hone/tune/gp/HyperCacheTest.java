package dev.hone.tune.gp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HyperCacheTest {

    static double[][] points(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] x = new double[n][3];
        for (double[] u : x) {
            for (int d = 0; d < 3; d++) {
                u[d] = random.nextDouble();
            }
        }
        return x;
    }

    static double[] values(double[][] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.sin(5 * x[i][0]) + x[i][1] * x[i][1] - 0.5;
        }
        return y;
    }

    @Test
    void aFitAskedForAgainIsTheFitMadeBeforeAndTheSameAsAFreshOne() {
        HyperCache cache = new HyperCache();
        double[][] x = points(25, 1);
        double[] y = values(x);
        boolean[] numeric = new boolean[3];

        GaussianProcess.Hyper first = cache.fit(x, y, numeric);
        GaussianProcess.Hyper again = cache.fit(x.clone(), y.clone(), numeric.clone());
        GaussianProcess.Hyper fresh = GaussianProcess.fit(x, y, numeric);

        assertThat(again).isSameAs(first);
        assertThat(first.lengths()).containsExactly(fresh.lengths());
        assertThat(first.scale()).isEqualTo(fresh.scale());
        assertThat(first.noise()).isEqualTo(fresh.noise());
    }

    @Test
    void otherPointsValuesOrCategoricalCoordinatesAreAnotherFit() {
        HyperCache cache = new HyperCache();
        double[][] x = points(25, 1);
        double[] y = values(x);
        GaussianProcess.Hyper first = cache.fit(x, y, new boolean[3]);

        double[][] moved = x.clone();
        moved[3] = new double[] {0.5, 0.5, 0.5};
        double[] changed = y.clone();
        changed[0] += 1;

        assertThat(cache.fit(moved, y, new boolean[3])).isNotSameAs(first);
        assertThat(cache.fit(x, changed, new boolean[3])).isNotSameAs(first);
        assertThat(cache.fit(x, y, new boolean[] {false, false, true})).isNotSameAs(first);
        assertThat(cache.fit(x, y, new boolean[3])).isSameAs(first); // still kept
    }

    @Test
    void aFitIsKeptForTheLast16Asked() {
        HyperCache cache = new HyperCache();
        double[][] x = points(12, 2);
        double[] y = values(x);
        GaussianProcess.Hyper first = cache.fit(x, y, new boolean[3]);
        for (int i = 1; i < HyperCache.SIZE; i++) {
            cache.fit(points(12, 100 + i), y, new boolean[3]);
        }
        assertThat(cache.fit(x, y, new boolean[3])).isSameAs(first);
        for (int i = 0; i < HyperCache.SIZE; i++) {
            cache.fit(points(12, 200 + i), y, new boolean[3]);
        }
        assertThat(cache.fit(x, y, new boolean[3])).isNotSameAs(first);
    }
}
