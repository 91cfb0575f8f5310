package dev.hone.notify;

import dev.hone.error.HoneException;

/**
 * A delivery failed. {@link #retryable()} says whether a later attempt can succeed (a server down, a timeout, a
 * 500) or not (an invalid address, a refused login, a 404): the courier stops at once on the latter.
 */
public final class DeliveryException extends HoneException {

    private final boolean retryable;

    private DeliveryException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public static DeliveryException retryable(String message, Throwable cause) {
        return new DeliveryException(message, true, cause);
    }

    public static DeliveryException permanent(String message, Throwable cause) {
        return new DeliveryException(message, false, cause);
    }

    public boolean retryable() {
        return retryable;
    }
}
