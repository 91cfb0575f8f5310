package dev.hone.source;

import dev.hone.error.HoneException;

/** A webhook payload that is not what its sender's format says (malformed JSON, a missing field). */
public final class BadHookException extends HoneException {

    BadHookException(String message) {
        super(message);
    }
}
