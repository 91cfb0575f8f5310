package dev.hone.tune;

import java.util.Map;

/**
 * A metric of a multi-objective study after the first ({@code metric} as a list in hone.yaml): its name as the trial
 * prints it and which way is better. The first metric is the study's {@link SearchSpace#direction} and a trial's
 * {@link Trial#value}; the others are read from the trial's {@link Trial#metrics}, by name in any case.
 */
public record Objective(String name, Direction direction) {

    /** This objective's value in {@code metrics} (names in any case), or null when absent or not finite. */
    public Double valueIn(Map<String, Double> metrics) {
        Double found = null;
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                found = e.getValue();
            }
        }
        return found == null || !Double.isFinite(found) ? null : found;
    }
}
