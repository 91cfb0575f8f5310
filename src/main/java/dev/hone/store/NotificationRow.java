package dev.hone.store;

import dev.hone.run.DeliveryStatus;
import java.time.Instant;

/** One delivery of an event through a channel: {@code status} sent or failed. */
public record NotificationRow(String event, String channel, DeliveryStatus status, String detail, Instant at) {}
