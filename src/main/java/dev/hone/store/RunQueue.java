package dev.hone.store;

import dev.hone.run.RunEvent;
import dev.hone.run.RunStatus;
import dev.hone.spec.Spec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The runs {@code hone serve} is asked to make, kept in the runs table so that none is lost to a restart. A run is
 * written {@code queued} before the push that asked for it is answered; a worker {@linkplain #claim claims} it
 * (one atomic update, so two workers never both run it, in one {@code hone serve} or in several on one store),
 * under a lease its controller {@linkplain #renew renews} while it runs, and the pipeline ends it like any run. A
 * queued run that a newer push to the same branch replaced ends {@code superseded}; one nobody will run ends
 * {@code cancelled}.
 */
public interface RunQueue {

    /** Writes a queued run (and its project when new); returns its id. */
    long enqueue(NewRun run);

    /**
     * Writes a queued run that makes another run again ({@code rerun}: what {@code pipeline.Rerun} writes, kept in
     * the same transaction, so the run never starts without it); returns its id.
     */
    long enqueue(NewRun run, String rerun);

    /**
     * Writes a queued run unless a run of the same source, branch and commit already exists, whatever its status:
     * a push heard twice (webhook and poll) runs once. Empty when one existed.
     */
    Optional<Long> enqueueOnce(NewRun run);

    /** Queued runs, oldest first. */
    List<RunRow> queued();

    /** Runs with {@code status}, oldest first. */
    List<RunRow> withStatus(RunStatus status);

    /** Queued → running, with no lease; false when the run is no longer queued (claimed, superseded or cancelled). */
    default boolean claim(long runId) {
        return claim(runId, null, null);
    }

    /**
     * Queued → running, held by {@code controller} until {@code leaseUntil} (null, null: no lease). On PostgreSQL
     * the row is locked {@code FOR UPDATE SKIP LOCKED}: a controller never waits on another claiming the same run,
     * and only one of them gets it. False when the run is no longer queued, or another controller is claiming it.
     */
    boolean claim(long runId, String controller, Instant leaseUntil);

    /**
     * Extends to {@code leaseUntil} the lease of every running run {@code controller} holds; returns their ids. A run
     * missing from the answer is no longer this controller's (it ended, or another took it over).
     */
    Set<Long> renew(String controller, Instant leaseUntil);

    /**
     * The runs a controller claimed that are running or interrupted and whose lease expired before {@code now}:
     * their controller died, or stopped; oldest first.
     */
    List<Lease> leaseExpired(Instant now);

    /**
     * Whether run {@code runId} is held by a lease that has not expired at {@code now}: its controller is alive
     * (false for a run that never had a lease).
     */
    boolean leased(long runId, Instant now);

    /**
     * Running or interrupted with a lease that expired before {@code now} → queued again, no longer finished and
     * without a lease, to be continued from its recorded trials by whichever controller claims it. False when it
     * was not so (another controller took it over first, or its lease was renewed).
     */
    boolean takeOver(long runId, Instant now);

    /** Lets every lease {@code controller} holds expire now (it stops): another controller may take its runs. */
    void release(String controller);

    /** Running → queued again, without its lease (its repository could not be fetched; it will be tried later). */
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
