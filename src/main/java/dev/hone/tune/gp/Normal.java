package dev.hone.tune.gp;

/**
 * The standard normal distribution: its density, its distribution function, and the logarithms the acquisition
 * scores with. {@code tune.tpe} uses it too, for the mass of its truncated Gaussians.
 */
public final class Normal {

    private static final double SQRT_2PI = Math.sqrt(2 * Math.PI);
    public static final double LOG_SQRT_2PI = Math.log(SQRT_2PI);

    private Normal() {}

    static double normPdf(double z) {
        return Math.exp(-0.5 * z * z) / SQRT_2PI;
    }

    public static double normCdf(double z) {
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
    private static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
