package dev.hone.server;

import dev.hone.error.HoneException;

/**
 * A request the server refuses, and why: the web layer answers {@link Kind#INVALID} 400, {@code NOT_FOUND} 404,
 * {@code CONFLICT} 409.
 */
public final class ServeException extends HoneException {

    public enum Kind { INVALID, NOT_FOUND, CONFLICT }

    private final Kind kind;

    ServeException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
