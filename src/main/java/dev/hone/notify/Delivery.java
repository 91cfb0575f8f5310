package dev.hone.notify;

/** The outcome of one event through one channel: {@code status} sent | failed. */
public record Delivery(String event, String channel, String status, String detail) {}
