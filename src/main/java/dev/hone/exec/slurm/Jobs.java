package dev.hone.exec.slurm;

import dev.hone.exec.ProcessRequest;
import dev.hone.exec.SessionConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** How Hone names and sizes its jobs: the parts of {@code sbatch}'s command line. */
final class Jobs {

    /** {@code --cpus-per-task}, {@code --mem} in MiB: null for the cluster's default. */
    record Resources(Integer cpus, Long memoryMib) {}

    private Jobs() {}

    /** {@code hone-<project>-r<run>}: what the names of a session's jobs start with. */
    static String prefix(SessionConfig config) {
        String project = config == null || config.project() == null ? "run" : config.project();
        String run = config == null || config.runId() == null ? "0" : config.runId();
        return "hone-" + safe(project) + "-r" + safe(run);
    }

    /** {@code <prefix>-t<trial>} for a trial (its HONE_TRIAL), {@code <prefix>-c<n>} for another command. */
    static String name(String prefix, ProcessRequest request, long commandNumber) {
        String trial = request.env() == null ? null : request.env().get("HONE_TRIAL");
        return trial != null && trial.matches("\\d+") ? prefix + "-t" + trial : prefix + "-c" + commandNumber;
    }

    static Resources resources(SessionConfig config) {
        if (config == null) {
            return new Resources(null, null);
        }
        Integer cpus = config.cpus() == null ? null : (int) Math.max(1, Math.ceil(config.cpus()));
        Long mib = config.memoryBytes() == null ? null
                : Math.max(1, (config.memoryBytes() + (1 << 20) - 1) >> 20);
        return new Resources(cpus, mib);
    }

    /**
     * {@code sbatch}'s arguments for a job: every value here is Hone's (names, sizes, paths) or the spec's
     * {@code environment.slurm}, never one of the job's environment variables.
     */
    static List<String> sbatch(String name, Resources resources, SlurmExecutor.Options options, Duration timeout,
                               JobFiles files, java.nio.file.Path workspace) {
        List<String> args = new ArrayList<>(List.of("sbatch", "--parsable", "--job-name=" + name,
                "--output=" + files.output(), "--open-mode=append", "--chdir=" + workspace, "--export=NONE",
                "--no-requeue", "--nodes=1", "--ntasks=1"));
        if (resources.cpus() != null) {
            args.add("--cpus-per-task=" + resources.cpus());
        }
        if (resources.memoryMib() != null) {
            args.add("--mem=" + resources.memoryMib() + "M");
        }
        if (options.gpus() > 0) {
            args.add("--gres=gpu:" + options.gpus());
        }
        if (timeout != null) {
            args.add("--time=" + timeLimitMinutes(timeout));
        }
        args.addAll(placement(options));
        args.add(files.script().toString());
        return args;
    }

    /** Where a job goes: {@code environment.slurm}'s partition, account, qos, constraint and extra arguments. */
    static List<String> placement(SlurmExecutor.Options options) {
        List<String> args = new ArrayList<>();
        add(args, "--partition=", options.partition());
        add(args, "--account=", options.account());
        add(args, "--qos=", options.qos());
        add(args, "--constraint=", options.constraint());
        args.addAll(options.extraArgs());
        return args;
    }

    /**
     * Slurm's time limit for a Hone timeout: whole minutes, rounded up, and one more, so that Hone's own timeout
     * stops the job first and Slurm's stops it while Hone is down.
     */
    static long timeLimitMinutes(Duration timeout) {
        long seconds = Math.max(1, timeout.toSeconds() + (timeout.toNanosPart() > 0 ? 1 : 0));
        return (seconds + 59) / 60 + 1;
    }

    private static void add(List<String> args, String option, String value) {
        if (value != null && !value.isBlank()) {
            args.add(option + value);
        }
    }

    /** A name part Slurm and a file name take as it is: letters, digits, '.', '_', '-'. */
    private static String safe(String text) {
        return text.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
