package dev.hone.run;

import java.time.Duration;
import java.util.Objects;

/**
 * What one trial used of the machine it ran on, as its executor measured it (a trial's {@code resources} in the
 * summary and the API): wall time, CPU time (user and system, over every process of the trial), peak memory and, for
 * a trial given GPUs, the most memory its GPUs held at once and their mean utilisation (percent). A figure that was
 * not measured is null. {@code source} says where the figures come from: "cgroup", "/proc", "container /proc",
 * "nvidia-smi", "sacct"; joined with " + " when several gave them.
 *
 * <p>Each executor fills it in its {@code ProcessResult}: the local executor from the command's cgroup or
 * {@code /proc}, the Docker executor from the agent in the container, a cluster executor from the job's accounting.
 */
public record Usage(Duration wall, Duration cpu, Long peakMemoryBytes, Long gpuMemoryPeakBytes,
                    Double gpuUtilizationMean, String source) {

    public Usage {
        Objects.requireNonNull(wall, "wall");
    }

    /** Only the wall time: what is known of a command whose executor measured nothing else. */
    public static Usage wallOnly(Duration wall) {
        return new Usage(wall, null, null, null, null, "wall clock");
    }

    /** This usage with the wall time {@code wall} (the executor's own count of the command's duration). */
    public Usage withWall(Duration wall) {
        return new Usage(wall, cpu, peakMemoryBytes, gpuMemoryPeakBytes, gpuUtilizationMean, source);
    }

    /**
     * This usage with GPU figures measured by {@code gpuSource}: kept as they are when the executor measured the GPUs
     * itself.
     */
    public Usage withGpus(long memoryPeakBytes, double utilizationMean, String gpuSource) {
        if (gpuMemoryPeakBytes != null || gpuUtilizationMean != null) {
            return this;
        }
        return new Usage(wall, cpu, peakMemoryBytes, memoryPeakBytes, utilizationMean,
                source == null || source.equals("wall clock") ? gpuSource : source + " + " + gpuSource);
    }
}
