package dev.hone.exec.docker;

import dev.hone.exec.ProcessResult.Ending;
import dev.hone.exec.ProcessResult;
import dev.hone.exec.ShellErrors;
import dev.hone.run.Usage;
import java.time.Duration;
import java.util.List;

/**
 * How a trial that ran in the container ended, from the agent's report: the exit status of its shell and the
 * container's memory and process-limit counters meanwhile. A trial killed by SIGKILL while the memory limit killed
 * a process is {@link Ending#OOM_KILLED}; a failing trial that hit the pids limit says so, and one that could not
 * resolve a name or reach a host in a container without network says that it has none.
 */
final class Endings {

    private static final int SIGKILL_STATUS = 128 + 9;

    private Endings() {}

    /** Where the agent's figures come from: the trial shell's rusage ({@code times}) and the container's /proc. */
    static final String USAGE_SOURCE = "container rusage + /proc";

    static ProcessResult of(AgentChannel.Exit exit, Limits limits, Duration duration, List<String> tail) {
        return ending(exit, limits, duration, tail).withUsage(usage(exit, duration));
    }

    /** What the trial used, as the agent measured it, over {@code wall}. */
    static Usage usage(AgentChannel.Exit exit, Duration wall) {
        return new Usage(wall, exit.cpuMillis() == null ? null : Duration.ofMillis(exit.cpuMillis()),
                exit.peakMemoryBytes(), null, null, USAGE_SOURCE);
    }

    private static ProcessResult ending(AgentChannel.Exit exit, Limits limits, Duration duration, List<String> tail) {
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
            if (detail == null && !limits.network()) {
                detail = NetworkErrors.lastIn(tail).map(line -> line + " (exit " + status + "); "
                        + NetworkErrors.NO_NETWORK).orElse(null);
            }
        }
        return new ProcessResult(Ending.EXITED, status, duration, tail, detail);
    }

    /**
     * The container's limits as a message names them: "limit 256 MiB", "pids limit 512"; {@code network} false: it
     * has none ({@code environment.network: none}).
     */
    record Limits(Long memoryBytes, long pidsLimit, boolean network) {

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
}
