package dev.hone.tune;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Asynchronous successive halving, as Optuna's SuccessiveHalvingPruner ({@code min_resource} = min_steps,
 * {@code reduction_factor} η, {@code min_early_stopping_rate} 0). Rung k is at step min_steps·η^k. When a trial
 * first reports a step at or past its next rung, its value is recorded at that rung and compared with every value
 * recorded there so far (its own included): it goes on when it is among the best ⌊count / η⌋ (at least the best
 * one), else it is stopped. Values at a rung are kept for the whole study, so a rung grows stricter as trials pass.
 */
final class AshaPruner implements Pruner {

    private final long minSteps;
    private final int eta;
    private final Direction direction;
    private final List<List<Double>> rungs = new ArrayList<>();
    private final Map<Integer, Integer> nextRung = new HashMap<>();

    AshaPruner(int minSteps, int eta, Direction direction) {
        if (minSteps < 1) {
            throw new IllegalArgumentException("min_steps must be at least 1 (got " + minSteps + ")");
        }
        if (eta < 2) {
            throw new IllegalArgumentException("eta must be at least 2 (got " + eta + ")");
        }
        this.minSteps = minSteps;
        this.eta = eta;
        this.direction = direction;
    }

    @Override
    public String name() {
        return "asha";
    }

    /** The step of rung {@code k}. */
    long rungStep(int k) {
        long step = minSteps;
        for (int i = 0; i < k; i++) {
            if (step > Long.MAX_VALUE / eta) {
                return Long.MAX_VALUE;
            }
            step *= eta;
        }
        return step;
    }

    @Override
    public synchronized boolean report(int trialNumber, long step, double value) {
        int rung = nextRung.getOrDefault(trialNumber, 0);
        while (step >= rungStep(rung)) { // a report past several rungs is judged at each in turn
            if (!Double.isFinite(value)) {
                return true; // a diverged curve does not go on
            }
            while (rungs.size() <= rung) {
                rungs.add(new ArrayList<>());
            }
            List<Double> values = rungs.get(rung);
            values.add(value);
            rung++;
            nextRung.put(trialNumber, rung);
            if (!promotable(value, values)) {
                return true;
            }
        }
        return false;
    }

    private boolean promotable(double value, List<Double> competing) {
        List<Double> sorted = new ArrayList<>(competing);
        sorted.sort(null);
        int k = Math.max(1, sorted.size() / eta);
        return direction == Direction.MINIMIZE ? value <= sorted.get(k - 1)
                : value >= sorted.get(sorted.size() - k);
    }

    @Override
    public synchronized void finished(Trial trial) {
        nextRung.remove(trial.number());
    }
}
