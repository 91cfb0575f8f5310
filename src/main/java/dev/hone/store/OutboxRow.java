package dev.hone.store;

import dev.hone.run.DeliveryStatus;
import java.time.Instant;

/**
 * A notification in the {@link Outbox}. {@code status}: pending (its next attempt is due at
 * {@code nextAttemptAt}), sending (claimed by a courier; {@code nextAttemptAt} is the end of its lease), sent, or
 * failed (given up). {@code attempts} counts the claims so far; {@code lastError} is the latest attempt's failure,
 * {@code detail} what the channel said on success.
 */
public record OutboxRow(long id, Long runId, String event, String channel, String route, String idempotencyKey,
                        String payload, DeliveryStatus status, int attempts, Instant nextAttemptAt, String lastError,
                        String detail, Instant createdAt, Instant sentAt) {

    /** True when nothing more will be tried: sent or failed. */
    public boolean finished() {
        return status.finished();
    }
}
