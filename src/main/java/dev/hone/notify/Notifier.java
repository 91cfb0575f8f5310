package dev.hone.notify;

/** A channel that delivers events (console here; email, Slack, webhooks, commit statuses later). */
public interface Notifier {

    /** The summary's channel word: console, email, slack, webhook, commit_status. */
    String channel();

    /**
     * Delivers the event; returns a short detail for the record ("printed", "sent to 2 recipients"). Throws when
     * the delivery failed; the message says why, without secrets.
     */
    String send(Event event);
}
