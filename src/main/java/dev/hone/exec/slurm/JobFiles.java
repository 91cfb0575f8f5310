package dev.hone.exec.slurm;

import dev.hone.run.Usage;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One job's files in the run directory ({@code slurm/<job name>/}), which the nodes share with Hone's host: the batch
 * script, the environment it sources (readable by its owner only: it holds the trial's secrets), the job's raw output
 * (Slurm writes it; Hone masks it into the request's log), the exit code the script leaves behind and what its command
 * used (the script's own measure, for a cluster without accounting).
 */
record JobFiles(Path dir) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** A line of {@code times}: user then system time, "0m1.23s" (bash) or "0m1.230000s" (dash). */
    private static final Pattern TIMES = Pattern.compile("(\\d+)m(\\d+(?:\\.\\d+)?)s (\\d+)m(\\d+(?:\\.\\d+)?)s");
    /** Where the script's figures come from, as a {@code Usage}'s source says it. */
    static final String USAGE_SOURCE = "batch script: times + /proc";

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

    /**
     * What the command used, as the script measured it: its shell's {@code times} (two lines; the second is the user
     * and system time of the processes it reaped) then "peak BYTES", the most memory the job's processes held at once
     * as sampled from /proc (empty when no sample saw them).
     */
    Path usage() {
        return dir.resolve("usage");
    }

    /** The sampler's running figure of the job's peak memory, in bytes. */
    Path peak() {
        return dir.resolve("peak");
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
        Files.deleteIfExists(usage());
        Files.deleteIfExists(peak());
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

    /**
     * What the command used over {@code wall}, as the script measured it ({@link #usage}); empty when the script did
     * not get that far (it was cancelled, or timed out).
     */
    Optional<Usage> measuredUsage(Duration wall) {
        List<String> lines;
        try {
            lines = Files.readAllLines(usage(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Optional.empty();
        }
        Matcher children = lines.size() < 3 ? null : TIMES.matcher(lines.get(1));
        if (children == null || !children.matches() || !lines.get(2).startsWith("peak ")) {
            return Optional.empty();
        }
        String peak = lines.get(2).substring("peak ".length()).strip();
        Duration cpu = seconds(children.group(1), children.group(2)).plus(seconds(children.group(3),
                children.group(4)));
        return Optional.of(new Usage(wall, cpu, peak.matches("\\d{1,19}") ? Long.parseLong(peak) : null, null, null,
                USAGE_SOURCE));
    }

    /** A figure of {@code times}: MINUTES m SECONDS s. */
    private static Duration seconds(String minutes, String seconds) {
        return Duration.ofMinutes(Long.parseLong(minutes)).plus(Duration.ofNanos(
                new BigDecimal(seconds).movePointRight(9).longValue()));
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
     * The batch script: says it started, sources the environment (every variable exported), runs the command with
     * {@code sh -c} in the workspace, and leaves what it used in {@code usage} and its exit code in {@code exit}
     * (each written aside and renamed, so it is whole when seen). While the command runs, a sampler in the background
     * keeps in {@code peak} the most memory the job's processes (those of the script's process group, which
     * slurmstepd gives the script) held: the larger of the largest sum of their resident sets and the largest peak
     * of one of them (VmRSS, VmHWM), every 0.1 s, as the Docker agent does in a container.
     */
    String script(String command) {
        String peak = quote(peak().toString());
        String usage = quote(usage().toString());
        return "#!/bin/sh\n"
                + "# Hone's job: runs the command below with the environment of " + quote(env().toString()) + "\n"
                + ": > " + quote(started().toString()) + "\n"
                + "set -a\n"
                + ". " + quote(env().toString()) + " || exit 125\n"
                + "set +a\n"
                + "read -r stat </proc/$$/stat; set -- ${stat##*\") \"}; group=$3\n"
                + "( peak=0; written=-1\n"
                + "  while :; do\n"
                + "    sum=0\n"
                + "    for p in /proc/[0-9]*; do\n"
                + "      { read -r stat <\"$p/stat\"; } 2>/dev/null || continue\n"
                + "      set -- ${stat##*\") \"}\n"
                + "      [ \"$3\" = \"$group\" ] || continue\n"
                + "      { while read -r key number _; do\n"
                + "          case $key in\n"
                + "            VmRSS:) sum=$((sum + number * 1024)) ;;\n"
                + "            VmHWM:) [ $((number * 1024)) -gt \"$peak\" ] && peak=$((number * 1024)) ;;\n"
                + "          esac\n"
                + "        done <\"$p/status\"; } 2>/dev/null\n"
                + "    done\n"
                + "    [ \"$sum\" -gt \"$peak\" ] && peak=$sum\n"
                + "    if [ \"$peak\" -gt \"$written\" ]; then echo \"$peak\" > " + peak + "; written=$peak; fi\n"
                + "    sleep 0.1\n"
                + "  done ) &\n"
                + "sampler=$!\n"
                + "sh -c " + quote(command) + " </dev/null\n"
                + "code=$?\n"
                + "times > " + quote(usage() + ".partial") + "\n"
                + "kill \"$sampler\" 2>/dev/null; wait \"$sampler\" 2>/dev/null\n" // dash says "Terminated" otherwise
                + "{ read -r bytes < " + peak + "; } 2>/dev/null || bytes=\n"
                + "echo \"peak $bytes\" >> " + quote(usage() + ".partial") + " && mv " + quote(usage() + ".partial")
                + " " + usage + "\n"
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
