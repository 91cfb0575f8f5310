package dev.hone.tune;

import dev.hone.metrics.MetricPoint;
import java.util.List;

/** Creates the built-in pruners (early stopping rules). */
public final class Pruners {

    /** ASHA's reduction factor η: a third of the trials at each rung go on to the next. */
    public static final int ETA = 3;

    private static final Pruner NONE = new Pruner() {
        @Override
        public boolean report(int trialNumber, long step, double value) {
            return false;
        }

        @Override
        public void finished(Trial trial) {}

        @Override
        public String name() {
            return "none";
        }
    };

    private Pruners() {}

    /** Never stops a trial. */
    public static Pruner none() {
        return NONE;
    }

    /**
     * The median stopping rule (Optuna's MedianPruner): from step {@code minSteps} on, once
     * {@value MedianPruner#STARTUP_TRIALS} trials have completed, a trial whose best value so far is worse than the
     * median of the completed trials' values at the same step is stopped.
     */
    public static Pruner median(int minSteps, Direction direction) {
        return new MedianPruner(minSteps, direction);
    }

    /**
     * Asynchronous successive halving (ASHA; Optuna's SuccessiveHalvingPruner): rungs at steps
     * {@code minSteps}, {@code minSteps·η}, {@code minSteps·η²}…; a trial reaching a rung goes on only while its
     * value is in the best 1/η of the values recorded at that rung so far (the first trials at a rung go on when
     * they are the best).
     */
    public static Pruner asha(int minSteps, int eta, Direction direction) {
        return new AshaPruner(minSteps, eta, direction);
    }

    /** The pruner of {@code tune.early_stopping}; null (not configured) gives {@link #none()}. */
    public static Pruner forRule(EarlyStopping earlyStopping, Direction direction) {
        if (earlyStopping == null) {
            return none();
        }
        int minSteps = Math.max(1, earlyStopping.minSteps());
        return switch (earlyStopping.rule()) {
            case MEDIAN -> median(minSteps, direction);
            case ASHA -> asha(minSteps, ETA, direction);
        };
    }

    /**
     * Training steps the pruned trials did not run: for each PRUNED trial, the longest curve among the trials that
     * succeeded minus the last step the pruned trial reported (never negative). For the summary's "steps saved".
     */
    public static long stepsSaved(List<Trial> trials) {
        long full = 0;
        for (Trial t : trials) {
            if (t.state() == TrialState.SUCCEEDED) {
                full = Math.max(full, lastStep(t));
            }
        }
        long saved = 0;
        for (Trial t : trials) {
            if (t.state() == TrialState.PRUNED) {
                saved += Math.max(0, full - lastStep(t));
            }
        }
        return saved;
    }

    private static long lastStep(Trial t) {
        List<MetricPoint> points = t.intermediate();
        long last = 0;
        if (points != null) {
            for (MetricPoint p : points) {
                last = Math.max(last, p.step());
            }
        }
        return last;
    }
}
