package dev.hone.pipeline;

import dev.hone.store.Store;
import dev.hone.tune.StudyListener;
import dev.hone.tune.Trial;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the best trial so far on the run the moment a trial ends, so the API, the dashboard and {@code hone runs}
 * show it while the run is live; then tells the run's listener. The run's end records the best again, so a write
 * that fails here (a full disk, a store gone for a moment) only delays it.
 */
final class BestSoFar implements StudyListener {

    private static final Logger LOG = LoggerFactory.getLogger(BestSoFar.class);

    private final Store store;
    private final long runId;
    private final StudyListener next;

    BestSoFar(Store store, long runId, StudyListener next) {
        this.store = store;
        this.runId = runId;
        this.next = next;
    }

    @Override
    public void trialStarted(Trial trial) {
        next.trialStarted(trial);
    }

    @Override
    public void trialFinished(Trial trial, Trial best) {
        if (best != null) {
            try {
                store.recordBest(runId, best.number());
            } catch (RuntimeException e) {
                LOG.warn("event=best_not_recorded run={} trial={} reason=\"{}\"", runId, best.number(),
                        e.getMessage());
            }
        }
        next.trialFinished(trial, best);
    }
}
