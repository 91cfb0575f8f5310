package dev.hone.pipeline;

import dev.hone.run.RunEvent;
import dev.hone.store.Store;
import dev.hone.tune.Confirmation;
import dev.hone.tune.Foresight;
import dev.hone.tune.StudyListener;
import dev.hone.tune.Trial;
import java.util.function.Consumer;
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
    private final Consumer<RunEvent> log;

    /** @param log records an event on the run (a confirmation that ended) */
    BestSoFar(Store store, long runId, StudyListener next, Consumer<RunEvent> log) {
        this.store = store;
        this.runId = runId;
        this.next = next;
        this.log = log;
    }

    @Override
    public void confirmationEnded(Confirmation confirmation) {
        try {
            log.accept(new RunEvent.Confirmation(confirmation.message(), confirmation.reached()));
        } catch (RuntimeException e) {
            LOG.warn("event=confirmation_not_recorded run={} trial={} reason=\"{}\"", runId, confirmation.trial(),
                    e.getMessage());
        }
        next.confirmationEnded(confirmation);
    }

    @Override
    public void trialStarted(Trial trial) {
        next.trialStarted(trial);
    }

    /** Logged ({@code event=foresight}) and told to the run's listener, which shows it on the progress line. */
    @Override
    public void foresight(Foresight.Estimate estimate) {
        LOG.info("event=foresight run={} chance={} text=\"{}\"", runId, estimate.probability(), estimate.text());
        next.foresight(estimate);
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
