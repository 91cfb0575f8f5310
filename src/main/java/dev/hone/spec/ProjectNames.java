package dev.hone.spec;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a project may be called: {@value #RULE}. A name becomes a directory ({@code projects/<name>/model}), a
 * Docker repository and a URL segment, so {@code .}, {@code ..}, {@code a/b} and {@code a b} are not names.
 * {@code name:} in hone.yaml must be one; a directory's or a repository's name, the default, is made one.
 */
public final class ProjectNames {

    public static final int MAX_LENGTH = 100;
    static final String RULE = "letters, digits, '.', '_' and '-', starting with a letter or digit, at most 100 "
            + "characters";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_LENGTH - 1) + "}");

    private ProjectNames() {}

    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /**
     * {@code text} (a directory's or a repository's name) made a project name: other characters become {@code -},
     * what leads is dropped up to a letter or digit, and it is cut at {@value #MAX_LENGTH} characters; "project"
     * when nothing is left.
     */
    public static String of(String text) {
        String name = text == null ? "" : text.replaceAll("[^A-Za-z0-9._-]", "-").replaceFirst("^[^A-Za-z0-9]+", "");
        name = name.substring(0, Math.min(name.length(), MAX_LENGTH));
        return name.isEmpty() ? "project" : name;
    }

    /** Why {@code name} is not a project name (with one it could be), or empty when it is one. */
    static Optional<String> problem(String name) {
        if (isValid(name)) {
            return Optional.empty();
        }
        String instead = of(name);
        return Optional.of("must be " + RULE + " (it names a directory), got \"" + name + "\""
                + (instead.equals("project") ? "" : " — e.g. \"" + instead + "\""));
    }
}
