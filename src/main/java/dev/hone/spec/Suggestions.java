package dev.hone.spec;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean" for misspelt keys and values: the closest allowed word, when one is close enough. */
public final class Suggestions {

    private Suggestions() {}

    /**
     * The allowed word nearest to {@code given}: within a Levenshtein distance of 2 (and less than the word's own
     * length, so "x" does not suggest "on"), or one a prefix of the other. Ties go to the word listed first.
     */
    public static Optional<String> closest(String given, List<String> allowed) {
        String g = given.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : allowed) {
            String c = candidate.toLowerCase(Locale.ROOT);
            int d = distance(g, c);
            boolean near = d <= 2 && d < g.length();
            boolean prefix = g.length() >= 3 && (c.startsWith(g) || g.startsWith(c));
            if ((near || prefix) && d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** {@code " — did you mean "x"?"} or, with nothing close, {@code " — allowed: a, b, c"}. */
    public static String hint(String given, List<String> allowed, String allowedLabel) {
        return closest(given, allowed)
                .map(s -> " — did you mean \"" + s + "\"?")
                .orElse(" — " + allowedLabel + ": " + String.join(", ", allowed));
    }

    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
