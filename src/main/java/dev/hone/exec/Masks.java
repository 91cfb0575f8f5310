package dev.hone.exec;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Secrets to hide in a command's output, as CI tools do: each occurrence in a line becomes {@value #MASK}. Longer
 * secrets are replaced first, so one that contains another is hidden whole. Executors apply it to every line before
 * it reaches the log file, the tail or the line consumer.
 */
public final class Masks {

    /** What stands for a secret in the output. */
    public static final String MASK = "***";

    /** Hides nothing. */
    public static final Masks NONE = new Masks(List.of());

    private final List<String> secrets;

    private Masks(List<String> secrets) {
        this.secrets = secrets;
    }

    /** Masks for {@code secrets}; null and empty ones are ignored. */
    public static Masks of(Collection<String> secrets) {
        if (secrets == null || secrets.isEmpty()) {
            return NONE;
        }
        return new Masks(secrets.stream().filter(Objects::nonNull).filter(s -> !s.isEmpty()).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList());
    }

    /** {@code line} with every secret in it replaced by {@value #MASK}. */
    public String apply(String line) {
        String masked = line;
        for (String secret : secrets) {
            masked = masked.replace(secret, MASK);
        }
        return masked;
    }

    /** The length of the longest secret; 0 when there is none. */
    public int longest() {
        return secrets.isEmpty() ? 0 : secrets.getFirst().length();
    }

    /**
     * Where {@code text} may be cut at {@code at} or after without cutting a secret in two: the first index from
     * {@code at} that no occurrence of a secret spans (one that starts before it and ends after it). Masking each
     * side of such a cut hides every secret whole. Occurrences must lie within {@code text}: give it
     * {@link #longest()} - 1 characters beyond {@code at}.
     */
    public int safeCut(CharSequence text, int at) {
        String s = text.toString();
        int cut = at;
        boolean moved = true;
        while (moved) {
            moved = false;
            for (String secret : secrets) {
                int from = Math.max(0, cut - secret.length() + 1);
                for (int i = s.indexOf(secret, from); i >= 0 && i < cut; i = s.indexOf(secret, i + 1)) {
                    if (i + secret.length() > cut) {
                        cut = i + secret.length();
                        moved = true;
                    }
                }
            }
        }
        return cut;
    }

    /** True when there is nothing to hide. */
    public boolean isEmpty() {
        return secrets.isEmpty();
    }

    /** How many secrets, never which. */
    @Override
    public String toString() {
        return "Masks[" + secrets.size() + " secrets]";
    }
}
