package dev.hone.detect;

import java.util.Set;

/**
 * What a checkout holds. {@code entrypoint} is the file name relative to the checkout ("main.py"), or null when
 * there is none; {@code imports} are the top-level modules its Python files import.
 */
public record Detection(String entrypoint, Framework framework, Set<String> imports) {

    /** The default training command: {@code python3 <entrypoint>}; null without an entrypoint. */
    public String defaultCommand() {
        return entrypoint == null ? null : "python3 " + entrypoint;
    }
}
