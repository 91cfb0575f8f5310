package dev.hone.tune;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a study's trials are judged by: the first metric's direction and target, the further objectives of a
 * multi-objective study ({@code metric} as a list; empty for one metric), and the constraints.
 *
 * <p>A trial <em>counts</em> when it succeeded with a value, reported every further objective and keeps every
 * constraint. The <em>Pareto front</em> is the counting trials no other counting trial dominates (as good on every
 * objective and better on one). The <em>best</em> trial: with one metric, the best value (the earlier on a tie); with
 * several, among the front's trials that reach the target, the best on the second objective (then the third …, then
 * the first, then the earlier); when none reaches it (or there is no target), the best on the first objective (ties
 * by the second …, then the earlier) — a trial of the front either way.
 */
public record Goals(Direction direction, Double target, List<Objective> further, List<Constraint> constraints) {

    public Goals {
        further = further == null ? List.of() : List.copyOf(further);
        constraints = constraints == null ? List.of() : List.copyOf(constraints);
    }

    /** The goals of a search space with these constraints. */
    public static Goals of(SearchSpace space, List<Constraint> constraints) {
        return new Goals(space.direction(), space.target(), space.further(), constraints);
    }

    public boolean multiObjective() {
        return !further.isEmpty();
    }

    /** The trial's objective values in order (the first is its value), or null when one is missing. */
    public double[] values(Trial trial) {
        if (!trial.hasValue() || !Double.isFinite(trial.value())) {
            return null;
        }
        double[] v = new double[1 + further.size()];
        v[0] = trial.value();
        for (int i = 0; i < further.size(); i++) {
            Double x = further.get(i).valueIn(trial.metrics());
            if (x == null) {
                return null;
            }
            v[i + 1] = x;
        }
        return v;
    }

    /** The same values as losses: each negated where it is maximised, so that less is better everywhere. */
    double[] losses(double[] values) {
        double[] loss = values.clone();
        for (int i = 0; i < loss.length; i++) {
            Direction d = i == 0 ? direction : further.get(i - 1).direction();
            loss[i] = d == Direction.MAXIMIZE ? -loss[i] : loss[i];
        }
        return loss;
    }

    /** True when the trial may reach the target, be the best and belong to the front. */
    public boolean counts(Trial trial) {
        return values(trial) != null && Constraint.firstBreach(constraints, trial.metrics()).isEmpty();
    }

    /** True when the trial counts and its first metric reaches the target. */
    public boolean reaches(Trial trial) {
        return target != null && counts(trial) && direction.reaches(trial.value(), target);
    }

    /** The Pareto front of {@code trials}, in number order; with one metric, the trials with the best value. */
    public List<Trial> front(List<Trial> trials) {
        List<Trial> counting = trials.stream().filter(this::counts).toList();
        List<double[]> losses = counting.stream().map(t -> losses(values(t))).toList();
        int[] rank = Pareto.ranks(losses);
        List<Trial> front = new ArrayList<>();
        for (int i = 0; i < rank.length; i++) {
            if (rank[i] == 0) {
                front.add(counting.get(i));
            }
        }
        front.sort(Comparator.comparingInt(Trial::number));
        return front;
    }

    /** The best trial as the class comment defines it; null when no trial counts. */
    public Trial best(List<Trial> trials) {
        if (!multiObjective()) {
            Trial best = null;
            for (Trial t : trials) {
                if (counts(t) && (best == null || direction.better(t.value(), best.value()))) {
                    best = t;
                }
            }
            return best;
        }
        List<Trial> front = front(trials);
        List<Trial> reaching = front.stream().filter(this::reaches).toList();
        int first = reaching.isEmpty() ? 0 : 1;
        List<Trial> among = reaching.isEmpty() ? front : reaching;
        Trial best = null;
        double[] bestLoss = null;
        for (Trial t : among) {
            double[] loss = losses(values(t));
            if (best == null || before(loss, bestLoss, first)) {
                best = t;
                bestLoss = loss;
            }
        }
        return best;
    }

    /** True when {@code a} is better than {@code b} comparing coordinate {@code first}, then the others in order. */
    private static boolean before(double[] a, double[] b, int first) {
        for (int k = 0; k < a.length; k++) {
            int i = k == 0 ? first : k <= first ? k - 1 : k;
            if (a[i] != b[i]) {
                return a[i] < b[i];
            }
        }
        return false;
    }
}
