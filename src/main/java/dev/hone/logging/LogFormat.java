package dev.hone.logging;

import dev.hone.error.HoneException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How {@code hone serve} writes its log: {@code text} lines for people, or {@code json} lines for a collector. */
public enum LogFormat {
    TEXT, JSON;

    /** The MDC key (and JSON field) of the run an event belongs to. */
    public static final String RUN = "run";
    /** The MDC key (and JSON field) of the trial an event belongs to. */
    public static final String TRIAL = "trial";

    /** {@code text} or {@code json}, as written on the command line and in hone-server.yaml. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The format named {@code text}; {@code where} says in an error where it was written. */
    public static LogFormat of(String text, String where) {
        for (LogFormat format : values()) {
            if (format.label().equals(text)) {
                return format;
            }
        }
        throw new HoneException(where + " must be one of " + Arrays.stream(values()).map(LogFormat::label)
                .collect(Collectors.joining(" | ")) + ", got " + text);
    }
}
