package dev.hone.store;

import java.time.Instant;

/** One delivery of an event through a channel: {@code status} sent | failed. */
public record NotificationRow(String event, String channel, String status, String detail, Instant at) {}
