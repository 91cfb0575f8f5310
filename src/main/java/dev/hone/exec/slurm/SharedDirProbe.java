package dev.hone.exec.slurm;

import dev.hone.time.Durations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * Checks, with a tiny job, that the cluster's nodes see the directory Hone shares with them: Hone writes a file
 * there, the job copies it beside, and Hone must find the copy. A run whose jobs could not read their workspace or
 * write their output fails at once saying so, instead of waiting on jobs that cannot work.
 */
final class SharedDirProbe {

    /** How long the probe job may take, from its submission to its end. */
    static final Duration BOUND = Duration.ofMinutes(2);
    /** How long the copy may take to appear once the job has ended (a network filesystem's attribute cache). */
    private static final Duration SETTLE = Duration.ofSeconds(10);

    private SharedDirProbe() {}

    /** Why the nodes do not see {@code dir}; empty when they do. */
    static Optional<String> failure(SlurmCommands slurm, Path dir, SlurmExecutor.Options options) {
        String token = UUID.randomUUID().toString();
        Path probes = dir.resolve(".hone-slurm-probe");
        Path in = probes.resolve(token + ".in");
        Path out = probes.resolve(token + ".out");
        try {
            Files.createDirectories(probes);
            Files.writeString(in, token + "\n", StandardCharsets.UTF_8);
            return run(slurm, dir, options, in, out, token);
        } catch (IOException e) {
            return Optional.of("cannot write the probe file in " + dir + " (" + e.getMessage()
                    + "): slurm.shared_dir must be a directory this host can write");
        } finally {
            deleteQuietly(in);
            deleteQuietly(out);
        }
    }

    private static Optional<String> run(SlurmCommands slurm, Path dir, SlurmExecutor.Options options, Path in,
                                        Path out, String token) {
        List<String> sbatch = new ArrayList<>(List.of("sbatch", "--parsable", "--job-name=hone-probe",
                "--output=/dev/null", "--export=NONE", "--nodes=1", "--ntasks=1", "--time=1"));
        sbatch.addAll(Jobs.placement(options));
        sbatch.add("--wrap=cat " + JobFiles.quote(in.toString()) + " > " + JobFiles.quote(out + ".partial")
                + " && mv " + JobFiles.quote(out + ".partial") + " " + JobFiles.quote(out.toString()));
        SlurmCommands.Output submitted = slurm.run(sbatch);
        String id = submitted.out().strip().split(";", 2)[0];
        if (!submitted.ok() || !id.matches("\\d+")) {
            return Optional.of("sbatch refused the job that checks " + dir + ": " + submitted.problem());
        }
        long deadline = System.nanoTime() + BOUND.toNanos();
        String state = "";
        while (System.nanoTime() < deadline) {
            SlurmCommands.Output seen = slurm.run(List.of("squeue", "-h", "-t", "all", "-j", id, "-o", "%T"));
            state = seen.out().strip();
            if (!seen.ok() || new JobStates.State(state.isEmpty() ? "GONE" : state, "").ended()) {
                break;
            }
            LockSupport.parkNanos(JobStates.PERIOD.toNanos());
        }
        if (System.nanoTime() >= deadline) {
            slurm.run(List.of("scancel", id));
            return Optional.of("the job that checks that the nodes see " + dir + " (" + id + ") did not end within "
                    + Durations.format(BOUND) + " (" + state + "): is the partition's queue moving?");
        }
        long settled = System.nanoTime() + SETTLE.toNanos();
        while (System.nanoTime() < settled) {
            if (holds(out, token)) {
                return Optional.empty();
            }
            LockSupport.parkNanos(JobStates.PERIOD.toNanos());
        }
        return Optional.of("the nodes cannot see " + dir + ": set slurm.shared_dir to a directory on the cluster's"
                + " shared filesystem (the probe job " + id + " ended " + state + " without copying a file there)");
    }

    private static boolean holds(Path file, String token) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip().equals(token);
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a probe file left behind is harmless
        }
    }
}
