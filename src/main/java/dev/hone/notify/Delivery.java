package dev.hone.notify;

import dev.hone.run.DeliveryStatus;

/**
 * The outcome of one event through one channel, for the run summary's {@code notifications}: {@code status} sent,
 * failed (given up), or pending (still being tried when the bounded wait ended; the outbox keeps trying); skipped
 * for a test message with nothing to send it to.
 */
public record Delivery(String event, String channel, DeliveryStatus status, String detail) {}
