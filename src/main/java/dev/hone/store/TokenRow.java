package dev.hone.store;

import java.time.Instant;
import java.util.Locale;

/**
 * A token made with {@code hone token create}, as kept: its name, what it may do, the SHA-256 (hex) of its text
 * (the text itself is never kept), when it was made and when it was last accepted (null: never).
 */
public record TokenRow(String name, Scope scope, String sha256, Instant createdAt, Instant lastUsedAt) {

    /** What a token may do: read the API and the dashboard, or also write (trigger and cancel runs, repositories). */
    public enum Scope {
        READ, WRITE;

        /** {@code read} or {@code write}, as the CLI and the store write it. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Scope of(String label) {
            return valueOf(label.toUpperCase(Locale.ROOT));
        }
    }
}
