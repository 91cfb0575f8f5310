package dev.hone.error;

/** Root of Hone's own failures. The edges translate it: the CLI into an exit code, the web layer into a status. */
public class HoneException extends RuntimeException {
    public HoneException(String message) {
        super(message);
    }

    public HoneException(String message, Throwable cause) {
        super(message, cause);
    }
}
