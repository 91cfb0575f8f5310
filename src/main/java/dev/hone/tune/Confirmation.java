package dev.hone.tune;

import java.util.List;
import java.util.stream.Collectors;

/**
 * How the confirmation of a trial that reached the target ended ({@code metric.confirm}): its runs (the trial itself
 * first, then its repeats), each with its {@code HONE_SEED} and value, and their aggregate.
 *
 * @param trial   the trial that reached the target
 * @param runs    the trial and its repeats, in the order they were started
 * @param value   the aggregate of the runs' values; null when a repeat produced none
 * @param reached true when {@code value} reaches the target: the study ends with the target reached
 * @param target  the target it was held to
 */
public record Confirmation(int trial, Confirm.Aggregate aggregate, List<Run> runs, Double value, boolean reached,
                           double target) {

    public Confirmation {
        runs = List.copyOf(runs);
    }

    /** One run of the confirmation: a trial number, the seed it was given, its value (null: it produced none). */
    public record Run(int trial, long seed, Double value, String error) {}

    /**
     * One line: "trial 7 reached 0.951 and its confirmation did too (mean of 3: 0.953; trial 7 HONE_SEED 42 → 0.951,
     * trial 8 HONE_SEED 43 → 0.955, trial 9 HONE_SEED 44 → 0.953)", or "… but its confirmation (…) did not".
     */
    public String message() {
        String first = num(runs.getFirst().value());
        String each = runs.stream().map(r -> "trial " + r.trial() + " HONE_SEED " + r.seed() + " → "
                        + (r.value() != null ? num(r.value()) : "no value (" + r.error() + ")"))
                .collect(Collectors.joining(", "));
        String what = aggregate.label() + " of " + runs.size() + ": "
                + (value != null ? num(value) : "none, a repeat produced no value") + "; " + each;
        return "trial " + trial + " reached " + first + (reached
                ? " and its confirmation did too (" + what + ")"
                : " but its confirmation (" + what + ") did not reach the target " + num(target)
                + "; the study goes on");
    }

    private static String num(double v) {
        return ParamText.brief(v, 4);
    }
}
