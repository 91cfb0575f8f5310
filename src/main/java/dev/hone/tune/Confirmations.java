package dev.hone.tune;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The confirmations a study has under way ({@code metric.confirm}): which trials repeat which, the repeats still to
 * start, and the confirmed values (the aggregates) of those that ended. Kept by the study's loop thread only.
 * Repeat {@code k} (1 … repeats − 1) of a trial runs with {@code HONE_SEED} = the run's seed + k.
 */
final class Confirmations {

    /** A repeat waiting for a slot. */
    record Pending(int of, int index, Map<String, Object> params, String diff, long seed) {}

    private final Confirm confirm;
    private final long seed;
    private final double target;
    private final Direction direction;
    /** By the number of the trial that reached the target: its runs so far (the trial first). */
    private final Map<Integer, List<Confirmation.Run>> runs = new LinkedHashMap<>();
    private final Map<Integer, Pending> repeats = new HashMap<>();
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final Map<Integer, Double> confirmed = new HashMap<>();
    private final List<Confirmation> ended = new ArrayList<>();

    Confirmations(Confirm confirm, long seed, double target, Direction direction) {
        this.confirm = confirm;
        this.seed = seed;
        this.target = target;
        this.direction = direction;
    }

    /** True when {@code number} is a repeat of another trial (it confirms, it does not reach the target itself). */
    boolean isRepeat(int number) {
        return repeats.containsKey(number);
    }

    /** {@code trial} reached the target: its repeats wait for slots. */
    void begin(Trial trial) {
        List<Confirmation.Run> list = new ArrayList<>();
        list.add(new Confirmation.Run(trial.number(), seed, trial.value(), null));
        runs.put(trial.number(), list);
        for (int k = 1; k < confirm.repeats(); k++) {
            pending.add(new Pending(trial.number(), k, trial.params(), trial.diff(), seed + k));
        }
    }

    /** The next repeat to start, or null. */
    Pending next() {
        return pending.poll();
    }

    boolean hasPending() {
        return !pending.isEmpty();
    }

    /** The repeat {@code p} started as trial {@code number}. */
    void started(int number, Pending p) {
        repeats.put(number, p);
    }

    /**
     * A repeat ended; {@code value} null when it produced none (or broke a constraint). Returns the confirmation once
     * all its runs are in.
     */
    Optional<Confirmation> repeatEnded(Trial repeat, Double value) {
        Pending p = repeats.get(repeat.number());
        int of = p.of();
        List<Confirmation.Run> list = runs.get(of);
        list.add(new Confirmation.Run(repeat.number(), p.seed(), value,
                value == null ? (repeat.error() != null ? repeat.error() : repeat.state().label()) : null));
        if (list.size() < confirm.repeats()) {
            return Optional.empty();
        }
        boolean all = list.stream().allMatch(r -> r.value() != null);
        Double aggregate = all ? confirm.aggregate().of(list.stream().map(Confirmation.Run::value).toList()) : null;
        boolean reached = aggregate != null && direction.reaches(aggregate, target);
        if (aggregate != null) {
            confirmed.put(of, aggregate);
        }
        Confirmation c = new Confirmation(of, confirm.aggregate(), list, aggregate, reached, target);
        ended.add(c);
        return Optional.of(c);
    }

    /** The confirmed value (the aggregate) of each trial whose confirmation ended with one, by trial number. */
    Map<Integer, Double> confirmedValues() {
        return confirmed;
    }

    List<Confirmation> ended() {
        return List.copyOf(ended);
    }

    /** "the confirmation of trial 29 had 1 of 3 runs when the budget ran out", or empty when none is under way. */
    Optional<String> unfinished() {
        return runs.entrySet().stream().filter(e -> e.getValue().size() < confirm.repeats()).findFirst()
                .map(e -> "the confirmation of trial " + e.getKey() + " had " + e.getValue().size() + " of "
                        + confirm.repeats() + " runs when the study ended");
    }
}
