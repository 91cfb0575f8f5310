package dev.hone.server;

import java.time.Instant;
import java.util.Locale;

/**
 * How a watched repository is doing, as {@code GET /api/repositories}, {@code hone repo list} and the dashboard show
 * it: when {@link State#FAILING}, {@code problem} says what failed, what to do, and when it is tried again;
 * {@code at}: when that was recorded (null: never).
 */
public record RepositoryStatus(State state, String problem, Instant at) {

    public enum State {
        /** It was read at the last poll or fetch. */
        OK,
        /** Its last poll or fetch failed. */
        FAILING,
        /** It has not been polled or fetched yet. */
        UNCHECKED;

        /** {@code ok}, {@code failing}, {@code unchecked}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The repository event of a failed poll or fetch; {@link #RECOVERED_EVENT} follows it once one succeeds. */
    static final String FAILED_EVENT = "unreachable";
    static final String RECOVERED_EVENT = "reachable";
}
