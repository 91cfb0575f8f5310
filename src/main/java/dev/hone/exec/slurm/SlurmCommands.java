package dev.hone.exec.slurm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Slurm's commands as Hone runs them on its host ({@code sbatch}, {@code squeue}, {@code scontrol},
 * {@code scancel}), found on the {@code PATH} of Hone's own environment, each bounded in time.
 */
final class SlurmCommands {

    /** What a command printed, and how it exited (-1: it could not run, or did not end in time). */
    record Output(int exitCode, String out, String err) {

        boolean ok() {
            return exitCode == 0;
        }

        /** Its error output's first line, else its output's, else the exit code. */
        String problem() {
            String text = !err.isBlank() ? err : out;
            return text.isBlank() ? "exit " + exitCode : text.strip().lines().findFirst().orElse("");
        }
    }

    private static final Duration BOUND = Duration.ofSeconds(30);

    private final Map<String, String> hostEnv;

    /** @param hostEnv Hone's own environment: its {@code PATH} finds the commands */
    SlurmCommands(Map<String, String> hostEnv) {
        this.hostEnv = Map.copyOf(hostEnv);
    }

    /**
     * Why Slurm's commands cannot be used from here: "sbatch is not on the PATH …"; empty when {@code sbatch} is
     * found.
     */
    Optional<String> missing() {
        String path = hostEnv.getOrDefault("PATH", "");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "sbatch"))) {
                return Optional.empty();
            }
        }
        return Optional.of("sbatch is not on the PATH of this host (" + path + "): the slurm executor submits each"
                + " trial with Slurm's sbatch, squeue, scontrol and scancel; install Slurm's client commands and"
                + " its munge key on the host that runs Hone");
    }

    /** Runs {@code command}; never throws: a command that cannot run exits -1 with the reason as its error. */
    Output run(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().clear();
        builder.environment().putAll(hostEnv);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new Output(-1, "", command.getFirst() + " cannot run: " + e.getMessage());
        }
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process, true),
                Thread::startVirtualThread);
        String out = read(process, false);
        try {
            if (!process.waitFor(BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return new Output(-1, out, command.getFirst() + " did not answer within " + BOUND.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Output(-1, out, command.getFirst() + " was interrupted");
        }
        return new Output(process.exitValue(), out, err.join());
    }

    private static String read(Process process, boolean err) {
        try {
            return new String((err ? process.getErrorStream() : process.getInputStream()).readAllBytes(),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
