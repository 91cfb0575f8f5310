package dev.hone.notify;

/**
 * The outcome of one event through one channel, for the run summary's {@code notifications}: {@code status} sent,
 * failed (given up), or pending (still being tried when the bounded wait ended; the outbox keeps trying).
 */
public record Delivery(String event, String channel, String status, String detail) {}
