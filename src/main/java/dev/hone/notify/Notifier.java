package dev.hone.notify;

/**
 * A channel that delivers events: console, email, Slack, a signed webhook, commit statuses. Implementations are
 * thread-safe: the courier sends each delivery from its own thread.
 */
public interface Notifier {

    /** The summary's channel word: console, email, slack, webhook, commit_status. */
    String channel();

    /**
     * Names this configured instance of the channel, stable across restarts and safe to store (no secret in it):
     * the outbox remembers it so that another process with the same configuration can finish a delivery.
     */
    default String route() {
        return channel();
    }

    /** False when the event has nothing to go to here (no recipient, no commit, no repository on this forge). */
    default boolean accepts(Event event) {
        return true;
    }

    /**
     * Delivers the notice; returns a short detail for the record ("sent to ana@example.com"). Throws when the
     * delivery failed, best as a {@link DeliveryException} that says whether trying again can help; the message
     * says why, without secrets or webhook URLs.
     */
    String send(Notice notice);
}
