package dev.hone.tune.tpe;

/**
 * One coordinate of a {@link Parzen} estimator: a numeric range [low, high] (already transformed: log parameters
 * in log space, integers widened by half a step), or a categorical's choice index in 0..choices-1.
 */
public record Axis(boolean categorical, int choices, double low, double high) {

    public static Axis numeric(double low, double high) {
        return new Axis(false, 0, low, high);
    }

    public static Axis categorical(int choices) {
        return new Axis(true, choices, 0, 0);
    }
}
