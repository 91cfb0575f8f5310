package dev.hone.tune;

import dev.hone.tune.gp.Normal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The chance that a study reaches its target within a number of further trials, and about how long they take: an
 * empirical model, not the sampler's. The values of the last {@value #WINDOW} succeeded trials are taken as draws of
 * one normal distribution (their mean and standard deviation); each further trial reaches the target with that
 * distribution's tail probability beyond it, independently of the others, so {@code P = 1 − (1 − p)^n}. The sampler
 * usually does better than independent draws, so the estimate tends to be low; with fewer than {@value #MIN_TRIALS}
 * values there is none. The time is the expected number of trials until one reaches it (at most {@code n}) at the
 * mean duration of the trials so far, {@code parallel} at a time.
 */
public final class Foresight {

    static final int WINDOW = 20;
    static final int MIN_TRIALS = 3;

    /** The chance of reaching {@code target} in the next {@code trials} trials, and the expected time. */
    public record Estimate(double target, int trials, double probability, Duration expected) {

        /** "P(reach 0.95 in the next 20 trials) ≈ 0.7, about 25 min". */
        public String text() {
            String p = probability >= 0.995 ? "1" : probability < 0.005 ? "< 0.01"
                    : trimmed(String.format(Locale.ROOT, "%.2f", probability));
            return "P(reach " + ParamText.exact(target) + " in the next " + trials + " trial" + (trials == 1 ? "" : "s")
                    + ") " + (p.startsWith("<") ? "" : "≈ ") + p + ", about " + about(expected);
        }

        private static String trimmed(String s) {
            return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
        }

        private static String about(Duration d) {
            long minutes = Math.round(d.toSeconds() / 60.0);
            return minutes >= 1 ? minutes + " min" : Math.max(1, d.toSeconds()) + " s";
        }
    }

    private Foresight() {}

    /** Empty without a target, without further trials, or with too few values to tell. */
    public static Optional<Estimate> estimate(List<Trial> trials, Direction direction, Double target, int further,
                                              int parallel) {
        if (target == null || further < 1) {
            return Optional.empty();
        }
        List<Trial> done = trials.stream().filter(t -> t.state() == TrialState.SUCCEEDED && t.value() != null)
                .toList();
        if (done.size() < MIN_TRIALS) {
            return Optional.empty();
        }
        List<Double> recent = done.subList(Math.max(0, done.size() - WINDOW), done.size()).stream()
                .map(Trial::value).toList();
        double mean = recent.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double variance = recent.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / (recent.size() - 1);
        double sd = Math.sqrt(variance);
        double z = direction == Direction.MAXIMIZE ? (target - mean) : (mean - target);
        double p = sd == 0 ? (z <= 0 ? 1 : 0) : 1 - Normal.normCdf(z / sd);
        double reach = 1 - Math.pow(1 - p, further);
        double expectedTrials = p == 0 ? further : Math.min(further, 1 / p);
        double meanMs = trials.stream().filter(t -> t.state().finished()).mapToLong(Trial::durationMs).average()
                .orElse(0);
        long ms = Math.round(Math.ceil(expectedTrials / Math.max(1, parallel)) * meanMs);
        return Optional.of(new Estimate(target, further, reach, Duration.ofMillis(ms)));
    }
}
