package dev.hone.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${VAR}} in a value takes VAR from the environment Hone was given; {@code ${VAR:-default}} falls back when
 * VAR is unset or empty; {@code $$} is a literal dollar. Any other {@code $} is left alone, so shell commands keep
 * their {@code $HOME}.
 */
final class Interpolation {

    private static final Pattern REFERENCE = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?", Pattern.DOTALL);

    private final Map<String, String> env;
    private final Set<String> referenced = new LinkedHashSet<>();

    Interpolation(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** The names of the variables expanded so far ({@code ${NAME}}, {@code ${NAME:-default}}), in order. */
    /**
     * Counts the variables {@code text} refers to as referenced though it is not read: a value a {@code HONE_*}
     * variable replaced still names variables that hold Hone's settings.
     */
    void refer(String text) {
        referenced.addAll(references(text));
    }

    Set<String> referenced() {
        return Collections.unmodifiableSet(referenced);
    }

    /** True when {@code text} has anything to expand or unescape. */
    static boolean mentions(String text) {
        return text.contains("${") || text.contains("$$");
    }

    /**
     * The names of the variables {@code text} refers to, in order: {@code ${NAME}} and {@code ${NAME:-default}}
     * name NAME; {@code $$} escapes and malformed references name none.
     */
    static List<String> references(String text) {
        List<String> names = new ArrayList<>();
        int i = 0;
        while (i + 1 < text.length()) {
            if (text.charAt(i) != '$') {
                i++;
            } else if (text.charAt(i + 1) == '$') {
                i += 2;
            } else if (text.charAt(i + 1) == '{') {
                int end = text.indexOf('}', i + 2);
                if (end < 0) {
                    break;
                }
                Matcher m = REFERENCE.matcher(text.substring(i + 2, end));
                if (m.matches()) {
                    names.add(m.group(1));
                }
                i = end + 1;
            } else {
                i++;
            }
        }
        return names;
    }

    /** The value of {@code name} in the environment Hone was given; empty when unset or empty. */
    Optional<String> variable(String name) {
        return Optional.ofNullable(env.get(name)).filter(value -> !value.isEmpty());
    }

    /**
     * The expanded text, or empty after telling {@code problem} about each reference that cannot be expanded (an
     * unset variable without default, a malformed reference). Messages quote the text only as far as
     * {@code disclosure} lets them.
     */
    Optional<String> expand(String text, Disclosure disclosure, Consumer<String> problem) {
        StringBuilder out = new StringBuilder(text.length());
        boolean failed = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '$' || i + 1 == text.length()) {
                out.append(c);
                i++;
            } else if (text.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
            } else if (text.charAt(i + 1) == '{') {
                int end = text.indexOf('}', i + 2);
                if (end < 0) {
                    problem.accept(disclosure.show(text.substring(i)).map(t -> "\"" + t + "\"").orElse("a \"${\"")
                            + " is not closed: write ${NAME}, ${NAME:-default}, or $$ for a literal $");
                    return Optional.empty();
                }
                String value = lookUp(text.substring(i + 2, end), disclosure, problem);
                failed |= value == null;
                out.append(value == null ? "" : value);
                i = end + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return failed ? Optional.empty() : Optional.of(out.toString());
    }

    private String lookUp(String reference, Disclosure disclosure, Consumer<String> problem) {
        Matcher m = REFERENCE.matcher(reference);
        if (!m.matches()) {
            problem.accept(disclosure.show("${" + reference + "}").map(t -> "\"" + t + "\"").orElse("a \"${…}\"")
                    + " is not a variable reference: write ${NAME}, ${NAME:-default}, or $$ for a literal $");
            return null;
        }
        String name = m.group(1);
        referenced.add(name);
        String value = env.get(name);
        if (m.group(2) != null) {
            return value == null || value.isEmpty() ? m.group(2) : value;
        }
        if (value == null) {
            problem.accept("environment variable " + name + " is not set: set it where Hone runs, "
                    + "or give a default with ${" + name + ":-value}");
        }
        return value;
    }
}
