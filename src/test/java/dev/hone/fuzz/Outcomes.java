package dev.hone.fuzz;

import dev.hone.error.HoneException;
import java.util.function.Supplier;

/**
 * The one rule every fuzz target checks: a parser given any input returns a value or throws Hone's own error with a
 * message. Anything else (a {@code NullPointerException}, a library's exception, a blank message) escapes and is the
 * crash Jazzer reports.
 */
final class Outcomes {

    private Outcomes() {}

    /** Runs {@code parse}; its value, or null when it refused the input with a {@link HoneException}. */
    static <T> T valueOrRefusal(Supplier<T> parse) {
        try {
            T value = parse.get();
            if (value == null) {
                throw new AssertionError("the parser returned null instead of a value or an error");
            }
            return value;
        } catch (HoneException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("refused without a message: " + e.getClass().getName(), e);
            }
            return null;
        }
    }
}
