package dev.hone.server;

import dev.hone.run.RunStatus;

/** What cancelling a live run did ({@code POST /api/runs/{id}/cancel} answers its {@link #label()}). */
public enum Cancellation {

    /** The run was queued: it ended cancelled at once. */
    ENDED(RunStatus.CANCELLED.label()),
    /** The run was running: its trials are being stopped, and it ends cancelled when they have. */
    STOPPING("cancelling");

    private final String label;

    Cancellation(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
