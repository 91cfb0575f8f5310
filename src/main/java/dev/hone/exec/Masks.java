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
