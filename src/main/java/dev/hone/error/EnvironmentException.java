package dev.hone.error;

/**
 * A failure of the machine's state rather than of what the user typed: a store that cannot be opened, a directory
 * Hone may not write in. The message says what, where and what to do; {@code hone serve} exits 3 on it.
 */
public class EnvironmentException extends HoneException {
    public EnvironmentException(String message) {
        super(message);
    }

    public EnvironmentException(String message, Throwable cause) {
        super(message, cause);
    }
}
