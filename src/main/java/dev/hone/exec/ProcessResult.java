package dev.hone.exec;

import dev.hone.run.Usage;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a command ended.
 *
 * @param exitCode the process's exit code; -1 when it never started or was killed
 * @param tail     the last lines of its output (at most {@link #TAIL_LINES})
 * @param detail   why it ended, for anything but {@link Ending#EXITED}: "timed out after 30s",
 *                 "command not found: foo", "killed: out of memory (limit 256 MiB)"
 * @param usage    what the command used (its wall time at least): each executor fills in what it measures
 */
public record ProcessResult(Ending ending, int exitCode, Duration duration, List<String> tail, String detail,
                            Usage usage) {

    public static final int TAIL_LINES = 40;

    public ProcessResult {
        Objects.requireNonNull(duration, "duration");
        usage = usage == null ? Usage.wallOnly(duration) : usage;
    }

    /** A command of which nothing but its duration was measured. */
    public ProcessResult(Ending ending, int exitCode, Duration duration, List<String> tail, String detail) {
        this(ending, exitCode, duration, tail, detail, Usage.wallOnly(duration));
    }

    /** This result with what the command used. */
    public ProcessResult withUsage(Usage measured) {
        return new ProcessResult(ending, exitCode, duration, tail, detail, measured);
    }

    public enum Ending { EXITED, TIMED_OUT, KILLED, OOM_KILLED, FAILED_TO_START }

    public boolean succeeded() {
        return ending == Ending.EXITED && exitCode == 0;
    }
}
