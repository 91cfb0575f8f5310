package dev.hone.run;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How one notification through one channel stands. Its {@link #label()} is the text of the outbox's and the
 * notifications table's {@code status} column and of the summary's {@code notifications[].status}. In the outbox
 * an entry is pending (its next attempt due), sending (claimed by a courier) and then sent or failed (given up);
 * a run's notifications hold only the {@link #finished()} ones; {@code hone notify test} also says skipped.
 */
public enum DeliveryStatus {

    /** Waiting for its next attempt; in a summary: still being tried when the run stopped waiting. */
    PENDING("pending"),
    /** Claimed by a courier, which is sending it now. */
    SENDING("sending"),
    SENT("sent"),
    /** Given up: no other attempt will be made. */
    FAILED("failed"),
    /** Nothing to send it to (a channel with no recipient); only {@code hone notify test} says so. */
    SKIPPED("skipped");

    private final String label;

    DeliveryStatus(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }

    /** True when nothing more will be tried: sent or failed. */
    public boolean finished() {
        return this == SENT || this == FAILED;
    }

    /** The status whose label is {@code label}. */
    @JsonCreator
    public static DeliveryStatus of(String label) {
        return Words.of(values(), DeliveryStatus::label, "delivery status", label);
    }

    /** The label, so that a status reads as its word wherever it is written into text. */
    @Override
    public String toString() {
        return label;
    }
}
