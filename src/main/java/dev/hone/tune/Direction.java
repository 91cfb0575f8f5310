package dev.hone.tune;

import java.util.Locale;

/** Which way the metric is better; {@link #label()} is the word of {@code metric.direction} in hone.yaml. */
public enum Direction {
    MAXIMIZE, MINIMIZE;

    /** True when {@code a} is strictly better than {@code b}. */
    public boolean better(double a, double b) {
        return this == MAXIMIZE ? a > b : a < b;
    }

    /** True when {@code value} reaches {@code target}. */
    public boolean reaches(double value, double target) {
        return this == MAXIMIZE ? value >= target : value <= target;
    }

    /**
     * The sign a target is shown with, the comparison of {@link #reaches}: {@code ≥} when maximizing, {@code ≤}
     * when minimizing ("target ≥ 0.95").
     */
    public String targetSign() {
        return this == MAXIMIZE ? "≥" : "≤";
    }

    /** {@code maximize} or {@code minimize}: the word in hone.yaml, the summary, the API and the notifications. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
