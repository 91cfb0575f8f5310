package dev.hone.exec.slurm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * One job's files in the run directory ({@code slurm/<job name>/}), which the nodes share with Hone's host: the batch
 * script, the environment it sources (readable by its owner only: it holds the trial's secrets), the job's raw output
 * (Slurm writes it; Hone masks it into the request's log) and the exit code the script leaves behind.
 */
record JobFiles(Path dir) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    Path script() {
        return dir.resolve("job.sh");
    }

    Path env() {
        return dir.resolve("env");
    }

    Path output() {
        return dir.resolve("output");
    }

    Path exit() {
        return dir.resolve("exit");
    }

    /** Made by the script as it starts on its node: the command's time (and Hone's timeout) runs from then. */
    Path started() {
        return dir.resolve("started");
    }

    /**
     * Writes the script and the environment for {@code command}, and an empty output; a previous attempt's exit
     * code is removed.
     */
    void prepare(String command, Map<String, String> env) throws IOException {
        Files.createDirectories(dir);
        Files.deleteIfExists(exit());
        Files.deleteIfExists(started());
        writePrivate(env(), environment(env));
        writePrivate(output(), "");
        writePrivate(script(), script(command));
    }

    /** The exit code the script wrote, if it got that far. */
    OptionalInt exitCode() {
        try {
            String text = Files.readString(exit(), StandardCharsets.UTF_8).strip();
            return text.matches("\\d{1,3}") ? OptionalInt.of(Integer.parseInt(text)) : OptionalInt.empty();
        } catch (IOException e) {
            return OptionalInt.empty();
        }
    }

    /** How long ago the script started; zero when it has not. */
    Duration sinceStarted() {
        try {
            Instant started = Files.getLastModifiedTime(started()).toInstant();
            Duration since = Duration.between(started, Instant.now());
            return since.isNegative() ? Duration.ZERO : since;
        } catch (IOException e) {
            return Duration.ZERO;
        }
    }

    /** How long the script ran, from its start to its exit code; zero when either is missing. */
    Duration ranFor() {
        try {
            Duration ran = Duration.between(Files.getLastModifiedTime(started()).toInstant(),
                    Files.getLastModifiedTime(exit()).toInstant());
            return ran.isNegative() ? Duration.ZERO : ran;
        } catch (IOException e) {
            return Duration.ZERO;
        }
    }

    /** Removes the environment file: the job that needed it has ended. */
    void forgetEnvironment() {
        try {
            Files.deleteIfExists(env());
        } catch (IOException e) {
            // it is readable by its owner only; the next attempt rewrites it
        }
    }

    /**
     * The batch script: says it started, sources the environment (every variable exported), runs the command with {@code sh -c} in the
     * workspace, and leaves its exit code in {@code exit} (written aside and renamed, so it is whole when seen).
     */
    String script(String command) {
        return "#!/bin/sh\n"
                + "# Hone's job: runs the command below with the environment of " + quote(env().toString()) + "\n"
                + ": > " + quote(started().toString()) + "\n"
                + "set -a\n"
                + ". " + quote(env().toString()) + " || exit 125\n"
                + "set +a\n"
                + "sh -c " + quote(command) + " </dev/null\n"
                + "code=$?\n"
                + "printf '%s\\n' \"$code\" > " + quote(exit() + ".partial") + " && mv " + quote(exit() + ".partial")
                + " " + quote(exit().toString()) + "\n"
                + "exit \"$code\"\n";
    }

    /** {@code NAME='value'} lines; names a shell cannot assign are left out. */
    private static String environment(Map<String, String> env) {
        StringBuilder text = new StringBuilder();
        env.forEach((name, value) -> {
            if (name != null && value != null && NAME.matcher(name).matches()) {
                text.append(name).append('=').append(quote(value)).append('\n');
            }
        });
        return text.toString();
    }

    /** One shell word: single-quoted. */
    static String quote(String value) {
        return "'" + value.replace("'", "'\"'\"'") + "'";
    }

    /** Writes {@code text} to {@code file}, readable and writable by its owner only from its first byte. */
    private static void writePrivate(Path file, String text) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.deleteIfExists(partial);
        Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(partial, text, StandardCharsets.UTF_8);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
