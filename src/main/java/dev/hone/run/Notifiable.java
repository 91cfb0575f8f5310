package dev.hone.run;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The events of a run that its channels can be told of: the words {@code notify.on} accepts (DESIGN §2), in their
 * order, which {@code hone.yaml} is checked against. {@code dev.hone.notify.Event} builds each of them (with its
 * message and the body a person reads); the run's log records them as {@link RunEvent.Notified}.
 */
public enum Notifiable {

    TRAINING_FAILED("training_failed"),
    TARGET_REACHED("target_reached"),
    TARGET_MISSED("target_missed"),
    REBUILD_FAILED("rebuild_failed"),
    CONTAINER_RESTARTED("container_restarted"),
    CONTAINER_GAVE_UP("container_gave_up"),
    JOB_REQUEUED("job_requeued"),
    REGRESSION("regression"),
    MODEL_KEPT("model_kept"),
    ROLLED_BACK("rolled_back");

    private final String type;

    Notifiable(String type) {
        this.type = type;
    }

    /** The event's type word, as the run's events and {@code notify.on} spell it. */
    public String type() {
        return type;
    }

    /**
     * True for what supervision reports while a run goes on (a container restarted, or given up on; a batch job
     * submitted again).
     */
    public boolean supervision() {
        return this == CONTAINER_RESTARTED || this == CONTAINER_GAVE_UP || this == JOB_REQUEUED;
    }

    /** Every type word, in DESIGN's order: what {@code notify.on} allows, and its default. */
    public static List<String> types() {
        return Arrays.stream(values()).map(Notifiable::type).toList();
    }

    /** The kind whose type word is {@code type}; empty for any other event type. */
    public static Optional<Notifiable> of(String type) {
        return Words.find(values(), Notifiable::type, type);
    }
}
