package dev.hone.detect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Guesses the metric a training script reports from its print statements ({@code print(f"accuracy={acc}")},
 * {@code print("Test accuracy:", acc)}), for {@code hone init}.
 */
public final class MetricGuess {

    /** Known metric names, with the direction that is better. */
    public record Guess(String name, boolean maximize) {}

    private static final List<Guess> KNOWN = List.of(
            new Guess("accuracy", true), new Guess("val_accuracy", true), new Guess("f1", true),
            new Guess("auc", true), new Guess("r2", true), new Guess("precision", true),
            new Guess("recall", true), new Guess("val_loss", false), new Guess("loss", false),
            new Guess("rmse", false), new Guess("mae", false), new Guess("mse", false));

    private static final Pattern PRINT = Pattern.compile("print\\s*\\((.*)", Pattern.MULTILINE);

    private MetricGuess() {}

    /** The first known metric name printed as {@code name=} or {@code name:} by the entrypoint. */
    public static Optional<Guess> guess(Path entrypoint) {
        String source;
        try {
            source = Files.readString(entrypoint);
        } catch (IOException e) {
            return Optional.empty();
        }
        Matcher m = PRINT.matcher(source);
        while (m.find()) {
            String args = m.group(1).toLowerCase(Locale.ROOT);
            for (Guess g : KNOWN) {
                if (Pattern.compile("(^|[^a-z0-9_])" + g.name() + "\\s*[=:]").matcher(args).find()) {
                    return Optional.of(g);
                }
            }
        }
        return Optional.empty();
    }
}
