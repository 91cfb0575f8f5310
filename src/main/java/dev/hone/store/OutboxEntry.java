package dev.hone.store;

import java.time.Instant;

/**
 * A notification about to be sent, written to the {@link Outbox} first.
 *
 * @param runId          the run it is about; null for an event outside any run
 * @param event          the event's word (training_failed, target_reached, …)
 * @param channel        the summary's channel word: console, email, slack, webhook, commit_status
 * @param route          the configured channel instance that delivers it, e.g. {@code slack.3fa2c1d0e9}
 * @param idempotencyKey unique over the store: a second entry with the same key is not written
 * @param payload        what the courier needs to send it again after a restart (JSON, no secrets)
 */
public record OutboxEntry(Long runId, String event, String channel, String route, String idempotencyKey,
                          String payload, Instant createdAt) {}
