package dev.hone.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Notifications written before they are sent, so none is lost to a crash and none is sent twice. A courier
 * {@linkplain #claim claims} an entry before each attempt: the claim is one atomic update of a pending entry (or
 * of one whose lease ran out, its courier having died), so two couriers, in one process or two, never both send
 * it. The outcome of the claim — {@link #sent}, {@link #retry} or {@link #failed} — is recorded with the claim's
 * attempt number, so a courier whose lease was taken over cannot overwrite the newer attempt. A final outcome of
 * an entry of a run is also added to the run's notifications ({@link Store#notifications}), once.
 */
public interface Outbox {

    /** Writes a pending entry, due at once, unless an entry with its key exists; true when written. */
    boolean enqueue(OutboxEntry entry);

    Optional<OutboxRow> find(String idempotencyKey);

    /** The entries of a run, in the order they were written. */
    List<OutboxRow> ofRun(long runId);

    /** The entries of a route that are not finished (pending or sending), oldest first. */
    List<OutboxRow> unfinished(String route);

    /** Every entry that is not finished (pending or sending), oldest first. */
    List<OutboxRow> unfinished();

    /**
     * Claims entry {@code id} for one attempt if it is pending, or sending with a lease that ended before
     * {@code now}: it becomes sending until {@code leaseUntil} and its attempts grow by one. Empty when another
     * courier holds it or it is finished.
     */
    Optional<OutboxRow> claim(long id, Instant now, Instant leaseUntil);

    /** The claimed attempt delivered it; false when the claim was lost (nothing is changed then). */
    boolean sent(OutboxRow claimed, String detail, Instant at);

    /** The claimed attempt failed; the entry is pending again, due at {@code nextAttemptAt}. */
    boolean retry(OutboxRow claimed, String error, Instant nextAttemptAt);

    /** The claimed attempt failed and no other will be made. */
    boolean failed(OutboxRow claimed, String error, Instant at);
}
