package dev.hone.tune;

import dev.hone.metrics.MetricPoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The median stopping rule, as Optuna's MedianPruner ({@code n_startup_trials} 5, {@code n_warmup_steps} =
 * min_steps): a trial is stopped at a step when its best value so far is worse than the median of what the
 * completed trials reported at that step (their latest value at or before it). A completed trial's curve is its
 * kept intermediate values ({@link Trial#intermediate()}, at most {@code MetricReader.MAX_POINTS}): a running trial
 * holds only its best value so far, however many steps it reports.
 */
final class MedianPruner implements Pruner {

    static final int STARTUP_TRIALS = 5;

    private final int minSteps;
    private final Direction direction;
    private final Map<Integer, Double> bestSoFar = new HashMap<>();
    private final List<TreeMap<Long, Double>> completed = new ArrayList<>();

    MedianPruner(int minSteps, Direction direction) {
        this.minSteps = minSteps;
        this.direction = direction;
    }

    @Override
    public String name() {
        return "median";
    }

    @Override
    public synchronized boolean report(int trialNumber, long step, double value) {
        if (!Double.isFinite(value)) {
            return false;
        }
        double best = bestSoFar.merge(trialNumber, value, (a, b) -> direction.better(b, a) ? b : a);
        if (step < minSteps || completed.size() < STARTUP_TRIALS) {
            return false;
        }
        List<Double> others = new ArrayList<>();
        for (TreeMap<Long, Double> curve : completed) {
            Map.Entry<Long, Double> at = curve.floorEntry(step);
            if (at != null) {
                others.add(at.getValue());
            }
        }
        if (others.isEmpty()) {
            return false;
        }
        others.sort(null);
        int n = others.size();
        double median = n % 2 == 1 ? others.get(n / 2) : (others.get(n / 2 - 1) + others.get(n / 2)) / 2;
        return direction.better(median, best);
    }

    @Override
    public synchronized void finished(Trial trial) {
        bestSoFar.remove(trial.number());
        if (trial.state() != TrialState.SUCCEEDED) {
            return;
        }
        TreeMap<Long, Double> curve = new TreeMap<>();
        if (trial.intermediate() != null) {
            for (MetricPoint p : trial.intermediate()) {
                if (Double.isFinite(p.value())) {
                    curve.put(p.step(), p.value());
                }
            }
        }
        if (!curve.isEmpty()) {
            completed.add(curve);
        }
    }
}
