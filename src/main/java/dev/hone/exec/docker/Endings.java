package dev.hone.exec.docker;

import dev.hone.exec.ProcessResult;
import dev.hone.exec.ProcessResult.Ending;
import java.time.Duration;
import dev.hone.exec.ShellErrors;
import java.util.List;

/**
 * How a trial that ran in the container ended, from the agent's report: the exit status of its shell and the
 * container's memory and process-limit counters meanwhile. A trial killed by SIGKILL while the memory limit killed
 * a process is {@link Ending#OOM_KILLED}; a failing trial that hit the pids limit says so.
 */
final class Endings {

    private static final int SIGKILL_STATUS = 128 + 9;

    private Endings() {}

    static ProcessResult of(AgentChannel.Exit exit, Limits limits, Duration duration, List<String> tail) {
        int status = exit.status();
        if (status == SIGKILL_STATUS && exit.oomKills() > 0) {
            return new ProcessResult(Ending.OOM_KILLED, -1, duration, tail,
                    "killed: out of memory (" + limits.memory() + ")");
        }
        String detail = null;
        if (status != 0 && exit.pidsLimitHits() > 0) {
            detail = "the process limit was reached (" + limits.pids() + "): the command tried to start more"
                    + " processes or threads than the container allows (exit " + status + ")";
        } else if (status != 0 && exit.oomKills() > 0) {
            detail = "a process of the command was killed: out of memory (" + limits.memory() + ") (exit "
                    + status + ")";
        } else if (status != 0) {
            detail = ShellErrors.detail(status, tail);
        }
        return new ProcessResult(Ending.EXITED, status, duration, tail, detail);
    }

    /** The container's limits as a message names them: "limit 256 MiB", "pids limit 512". */
    record Limits(Long memoryBytes, long pidsLimit) {

        String memory() {
            return memoryBytes == null ? "no memory limit: the machine's memory ran out" : "limit " + mib(memoryBytes);
        }

        String pids() {
            return "pids limit " + pidsLimit;
        }

        private static String mib(long bytes) {
            if (bytes % (1024L * 1024 * 1024) == 0) {
                return bytes / (1024L * 1024 * 1024) + " GiB";
            }
            return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MiB" : bytes + " bytes";
        }
    }

    /** As the local executor says it: 500ms, 1.5s, 30s, 2m, 1m30s, 1h30m. */
    static String human(Duration duration) {
        long millis = Math.max(0, duration.toMillis());
        if (millis < 1000) {
            return millis + "ms";
        }
        StringBuilder text = new StringBuilder();
        if (millis >= 3_600_000) {
            text.append(millis / 3_600_000).append('h');
        }
        if (millis / 60_000 % 60 > 0) {
            text.append(millis / 60_000 % 60).append('m');
        }
        long seconds = millis / 1000 % 60;
        long rest = millis % 1000;
        if (seconds > 0 || rest > 0) {
            text.append(seconds);
            if (rest > 0) {
                text.append('.').append(String.format("%03d", rest).replaceAll("0+$", ""));
            }
            text.append('s');
        }
        return text.toString();
    }
}
