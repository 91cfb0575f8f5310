package dev.hone.exec.slurm;

import dev.hone.run.Usage;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a finished job used, from Slurm's accounting: {@code sacct}'s TotalCPU (of the job) and MaxRSS (the largest of
 * its steps'). A cluster without accounting ("Slurm accounting storage is disabled"), or one that gathers no figures
 * ({@code JobAcctGatherType=jobacct_gather/none}: MaxRSS empty), is asked once: after that the batch script's own
 * figures are used for every job of the session, without a {@code sacct} per trial.
 */
final class Accounting {

    static final String SOURCE = "sacct";
    /** TotalCPU: [D-][HH:]MM:SS[.mmm]. */
    private static final Pattern CPU = Pattern.compile("(?:(?:(\\d+)-)?(\\d+):)?(\\d+):(\\d+(?:\\.\\d+)?)");
    /** MaxRSS: a number with an optional unit (K, M, G, T; bytes without). */
    private static final Pattern MEMORY = Pattern.compile("(\\d+(?:\\.\\d+)?)([KMGT]?)");

    private final SlurmCommands slurm;
    private volatile boolean absent;

    Accounting(SlurmCommands slurm) {
        this.slurm = slurm;
    }

    /** What job {@code id} used over {@code wall}; empty when the cluster's accounting has no figures for it. */
    Optional<Usage> of(String id, Duration wall) {
        if (absent || !id.matches("\\d+(_\\d+)?")) {
            return Optional.empty();
        }
        SlurmCommands.Output out = slurm.run(List.of("sacct", "-n", "-P", "-j", id, "-o", "TotalCPU,MaxRSS"));
        if (!out.ok() && out.err().contains("accounting storage is disabled")) {
            absent = true;
        }
        Optional<Usage> usage = out.ok() ? parse(out.out(), wall) : Optional.empty();
        if (usage.isEmpty() && out.ok() && !out.out().isBlank()) {
            absent = true; // the job is known but no figures were gathered: none will be for the next ones
        }
        return usage;
    }

    /** {@code sacct -n -P -o TotalCPU,MaxRSS}'s lines (the job's, then its steps'): empty without a MaxRSS. */
    static Optional<Usage> parse(String lines, Duration wall) {
        Duration cpu = null;
        Long memory = null;
        for (String line : lines.split("\n")) {
            String[] fields = line.strip().split("\\|", -1);
            if (fields.length != 2) {
                continue;
            }
            Matcher c = CPU.matcher(fields[0]);
            if (cpu == null && c.matches()) {
                cpu = Duration.ofDays(number(c.group(1))).plusHours(number(c.group(2)))
                        .plusMinutes(number(c.group(3))).plusNanos(Math.round(Double.parseDouble(c.group(4)) * 1e9));
            }
            Matcher m = MEMORY.matcher(fields[1]);
            if (m.matches()) {
                int power = m.group(2).isEmpty() ? 0 : "KMGT".indexOf(m.group(2)) + 1;
                long bytes = Math.round(Double.parseDouble(m.group(1)) * Math.pow(1024, power));
                memory = memory == null ? bytes : Math.max(memory, bytes);
            }
        }
        return memory == null ? Optional.empty() : Optional.of(new Usage(wall, cpu, memory, null, null, SOURCE));
    }

    private static long number(String digits) {
        return digits == null ? 0 : Long.parseLong(digits);
    }
}
