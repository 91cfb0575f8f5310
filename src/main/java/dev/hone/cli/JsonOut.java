package dev.hone.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.hone.error.HoneException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Where a command's JSON goes, the same for every command: {@code --json} prints it on standard output,
 * {@code --json-file FILE} writes FILE whole (or nothing), and {@code -} as FILE means standard output.
 */
final class JsonOut {

    /** The target that means standard output. */
    static final Path STDOUT = Path.of("-");

    private JsonOut() {}

    static boolean toStdout(Path target) {
        return STDOUT.equals(target);
    }

    /** Writes {@code value} to {@code target}: {@code out} for {@link #STDOUT}, else the file. */
    static void write(PrintStream out, Path target, Object value) {
        if (toStdout(target)) {
            try {
                out.println(Runs.JSON.writeValueAsString(value));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("could not write JSON: " + e.getOriginalMessage(), e);
            }
            out.flush();
            return;
        }
        try {
            Path parent = target.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Path tmp = Files.createTempFile(parent, ".hone-", ".json");
            Runs.JSON.writeValue(tmp.toFile(), value);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new HoneException("could not write " + target + ": " + e.getMessage(), e);
        }
    }

    /** {@code --json} and {@code --json-file} of the commands that list (runs, trials): JSON instead of a table. */
    static final class Listing {

        @Option(names = "--json", description = "Print JSON on standard output instead of a table.")
        boolean stdout;

        @Option(names = "--json-file", paramLabel = "FILE",
                description = "Write the JSON to FILE instead of printing a table (- : standard output).")
        Path file;

        /** Where the JSON goes, or null for a table. */
        Path target() {
            return file != null ? file : stdout ? STDOUT : null;
        }
    }

    /**
     * {@code --json [FILE]} and {@code --json-file FILE} of {@code hone run} and {@code hone demo}: the summary, beside
     * what the run prints. {@code --json FILE} is DESIGN §1's form and keeps writing FILE.
     */
    static final class RunSummary {

        @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--json", arity = "0..1", paramLabel = "FILE", fallbackValue = "-",
                description = "Print the run summary as JSON on standard output (the progress goes to standard "
                        + "error); --json FILE writes it to FILE, as --json-file does.")
        Path json;

        @Option(names = "--json-file", paramLabel = "FILE",
                description = "Write the run summary as JSON to FILE (- : standard output).")
        Path file;

        /** Where the summary goes, or null for nowhere. */
        Path target() {
            if (json != null && file != null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--json and --json-file both say where the summary goes: give one of them");
            }
            return file != null ? file : json;
        }
    }
}
