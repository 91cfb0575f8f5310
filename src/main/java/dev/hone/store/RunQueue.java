package dev.hone.store;

import dev.hone.run.RunEvent;
import dev.hone.run.RunStatus;
import dev.hone.spec.Spec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The runs {@code hone serve} is asked to make, kept in the runs table so that none is lost to a restart. A run is
 * written {@code queued} before the push that asked for it is answered; a worker {@linkplain #claim claims} it
 * (one atomic update, so two workers never both run it), and the pipeline ends it like any run. A queued run that
 * a newer push to the same branch replaced ends {@code superseded}; one nobody will run ends {@code cancelled}.
 */
public interface RunQueue {

    /** Writes a queued run (and its project when new); returns its id. */
    long enqueue(NewRun run);

    /**
     * Writes a queued run unless a run of the same source, branch and commit already exists, whatever its status:
     * a push heard twice (webhook and poll) runs once. Empty when one existed.
     */
    Optional<Long> enqueueOnce(NewRun run);

    /** Queued runs, oldest first. */
    List<RunRow> queued();

    /** Runs with {@code status}, oldest first. */
    List<RunRow> withStatus(RunStatus status);

    /** Queued → running; false when the run is no longer queued (claimed, superseded or cancelled meanwhile). */
    boolean claim(long runId);

    /** Running → queued again (its repository could not be fetched; it will be tried later). */
    boolean requeue(long runId);

    /**
     * Running or interrupted → queued again, no longer finished: a run an earlier {@code hone serve} did not end
     * (killed, or stopped), to be continued from its recorded trials. False when it had another status.
     */
    default boolean resume(long runId) {
        return requeue(runId);
    }

    /** Queued → {@code status} (superseded, cancelled) with an event; false when it was no longer queued. */
    boolean endQueued(long runId, RunStatus status, RunEvent why, Instant at);

    /**
     * The project name, {@code hone.yaml} text and metric (null: none) a queued run turned out to have once checked
     * out. When the name is not the one it was queued under, the runs of its repository still queued under that name
     * move with it, and the project it leaves is removed once it has no run.
     */
    void assign(long runId, String project, String specYaml, Spec.Metric metric);

    /** The commit a run asked for by branch (or abbreviated SHA) resolved to. */
    void resolveCommit(long runId, String sha, String author, String message);

    /** How many runs have each status. */
    Map<RunStatus, Long> countByStatus();
}
