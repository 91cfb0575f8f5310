package dev.hone.pipeline;

import dev.hone.source.Confined;
import dev.hone.spec.InvalidSpecException;
import dev.hone.spec.Spec;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The files of a checkout a run reads or runs by name — the scripts {@code train.command} (or the detected
 * entrypoint's {@code python3 main.py}) and {@code tune.rebuild} name, and {@code environment.dockerfile} — checked
 * before anything runs: each must stay inside the checkout ({@link Confined}). {@code hone.yaml} is checked as it is
 * read ({@code SpecLoader.read}).
 */
final class CheckoutFiles {

    private static final String CHECKOUT = "the checkout";

    private CheckoutFiles() {}

    /**
     * @param command the training command the run uses
     * @throws InvalidSpecException naming the first file that leads out of {@code dir}
     */
    static void check(Path dir, String command, Spec spec) {
        named(dir, command);
        if (spec.tune().rebuild() != null) {
            named(dir, spec.tune().rebuild());
        }
        String dockerfile = spec.environment().dockerfile();
        if (dockerfile != null) {
            confined(dir, dockerfile);
        }
    }

    /**
     * The files of the checkout {@code command}'s words name ({@code python3 rebuild.py --fast}: {@code rebuild.py}).
     * Words that name nothing in the checkout (the interpreter, options, absolute paths) are not Hone's to check.
     */
    private static void named(Path dir, String command) {
        for (String word : command.strip().split("\\s+")) {
            String name = word.replaceAll("^['\"]|['\"]$", "");
            if (name.isEmpty() || name.startsWith("-") || name.contains("$") || name.startsWith("/")) {
                continue;
            }
            Path file;
            try {
                file = dir.resolve(name).normalize();
            } catch (InvalidPathException e) {
                continue;
            }
            if (file.startsWith(dir) && !file.equals(dir) && Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                confined(dir, name);
            }
        }
    }

    private static void confined(Path dir, String name) {
        try {
            Confined.file(dir, name, CHECKOUT);
        } catch (Confined.LinkOutsideException e) {
            throw InvalidSpecException.of(name, "", e.reason());
        }
    }
}
