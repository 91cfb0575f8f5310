package dev.hone.exec;

import java.time.Duration;
import java.util.List;

/**
 * How a command ended.
 *
 * @param exitCode the process's exit code; -1 when it never started or was killed
 * @param tail     the last lines of its output (at most {@link #TAIL_LINES})
 * @param detail   why it ended, for anything but {@link Ending#EXITED}: "timed out after 30s",
 *                 "command not found: foo", "killed: out of memory (limit 256 MiB)"
 */
public record ProcessResult(Ending ending, int exitCode, Duration duration, List<String> tail, String detail) {

    public static final int TAIL_LINES = 40;

    public enum Ending { EXITED, TIMED_OUT, KILLED, OOM_KILLED, FAILED_TO_START }

    public boolean succeeded() {
        return ending == Ending.EXITED && exitCode == 0;
    }
}
