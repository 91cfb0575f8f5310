package dev.hone.tune;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code metric.confirm}: a trial whose value reaches the target is run {@code repeats − 1} more times, each with a
 * new {@code HONE_SEED}, and the target counts as reached only when the {@code aggregate} of its {@code repeats}
 * values (the first run's included) reaches it too: a lucky seed does not end the study.
 *
 * @param repeats how many values the aggregate is taken over, the trial's own included; at least 2
 */
public record Confirm(int repeats, Aggregate aggregate) {

    public Confirm {
        if (repeats < 2) {
            throw new IllegalArgumentException("confirm repeats must be at least 2, got " + repeats);
        }
    }

    /** How the repeated values make one. */
    public enum Aggregate {
        MEAN, MEDIAN;

        /** The aggregate of {@code values} (not empty). */
        public double of(List<Double> values) {
            double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            if (this == MEAN) {
                return Arrays.stream(v).sum() / v.length;
            }
            int mid = v.length / 2;
            return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
        }

        /** {@code mean} or {@code median}: the word in hone.yaml and in messages. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
