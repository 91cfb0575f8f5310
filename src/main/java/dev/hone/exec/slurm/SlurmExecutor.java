package dev.hone.exec.slurm;

import dev.hone.error.EnvironmentException;
import dev.hone.exec.Executor;
import dev.hone.exec.Masks;
import dev.hone.exec.ProcessRequest;
import dev.hone.exec.SessionConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs each command of a run as one batch job of a Slurm cluster ({@code sbatch --parsable}): named
 * {@code hone-<project>-r<run>-t<trial>}, with {@code --cpus-per-task}, {@code --mem} and {@code --gres=gpu:N} from
 * the run's resources, {@code --time} from its timeout (Hone also stops it at the timeout itself), its working
 * directory the run's workspace. The job's environment (the trial environment, the session's and the request's
 * variables) is written to a file only its owner reads, which the job's script sources: no value is on a command line,
 * where {@code ps} and {@code scontrol show job} would show it ({@code --export=NONE}). Its output goes to a file in
 * the run directory, tailed as it grows into the request's log, tail and line consumer with the session's secrets
 * masked. The run directory must be on a filesystem the cluster's nodes share with this host.
 */
public final class SlurmExecutor implements Executor {

    /**
     * Where the jobs go and what each asks for beyond the run's resources ({@code environment.slurm}).
     *
     * @param partition  {@code --partition}, null for the cluster's default; likewise {@code account}, {@code qos}
     *                   and {@code constraint}
     * @param extraArgs  further {@code sbatch} options, as written
     * @param gpus       GPUs per job ({@code --gres=gpu:N}); 0 for none
     */
    public record Options(String partition, String account, String qos, String constraint, List<String> extraArgs,
                          int gpus) {

        public static final Options DEFAULTS = new Options(null, null, null, null, List.of(), 0);

        public Options {
            extraArgs = extraArgs == null ? List.of() : List.copyOf(extraArgs);
        }
    }

    private final Map<String, String> hostEnv;
    private final Map<String, String> baseEnv;
    private final long logLimit;
    private final Options options;
    /** Where a probe job checks, as each run's session opens, that the nodes see Hone's files; null: no check. */
    private final Path sharedDir;

    /**
     * @param hostEnv  Hone's own environment: its {@code PATH} finds Slurm's commands
     * @param baseEnv  the environment each job starts from (the trial environment)
     * @param logLimit the most a job's log holds ({@code limits.log_size})
     */
    public SlurmExecutor(Map<String, String> hostEnv, Map<String, String> baseEnv, long logLimit, Options options) {
        this(hostEnv, baseEnv, logLimit, options, null);
    }

    private SlurmExecutor(Map<String, String> hostEnv, Map<String, String> baseEnv, long logLimit, Options options,
                          Path sharedDir) {
        this.hostEnv = Map.copyOf(Objects.requireNonNull(hostEnv, "hostEnv"));
        this.baseEnv = Map.copyOf(Objects.requireNonNull(baseEnv, "baseEnv"));
        this.logLimit = logLimit;
        this.options = Objects.requireNonNull(options, "options");
        this.sharedDir = sharedDir;
    }

    /** This executor submitting with {@code options} instead (a run's {@code environment.slurm}). */
    public SlurmExecutor with(Options options) {
        return new SlurmExecutor(hostEnv, baseEnv, logLimit, options, sharedDir);
    }

    /**
     * This executor checking, as each run's session opens, that the nodes see {@code dir} ({@code slurm.shared_dir},
     * else the data directory): a tiny job must copy a file Hone wrote there, or the run fails at once saying so.
     */
    public SlurmExecutor probing(Path dir) {
        return new SlurmExecutor(hostEnv, baseEnv, logLimit, options, dir);
    }

    /** Why jobs cannot be submitted from this host ({@code sbatch} is missing); empty when they can. */
    public Optional<String> unavailableReason() {
        return new SlurmCommands(hostEnv).missing();
    }

    /**
     * Cancels what a Hone that died (kill -9) left of a run on the cluster: the jobs queued or running under the
     * names of the run's job directories ({@code slurm/<job name>/} beside {@code workspace}), for a run nobody will
     * resume. Returns how many jobs were cancelled; none when the run has no Slurm jobs or {@code sbatch} is absent.
     */
    public static int cancelLeftovers(Map<String, String> hostEnv, Path workspace) {
        Path jobsDir = workspace.toAbsolutePath().normalize().resolveSibling("slurm");
        SlurmCommands slurm = new SlurmCommands(hostEnv);
        if (!Files.isDirectory(jobsDir) || slurm.missing().isPresent()) {
            return 0;
        }
        Set<String> names;
        try (Stream<Path> dirs = Files.list(jobsDir)) {
            names = dirs.map(dir -> dir.getFileName().toString()).collect(Collectors.toSet());
        } catch (IOException e) {
            return 0;
        }
        List<String> ids = slurm.run(List.of("squeue", "-h", "-o", "%i|%j")).out().lines()
                .map(line -> line.strip().split("\\|", 2))
                .filter(fields -> fields.length == 2 && names.contains(fields[1])).map(fields -> fields[0]).toList();
        if (!ids.isEmpty()) {
            List<String> scancel = new ArrayList<>(List.of("scancel"));
            scancel.addAll(ids);
            slurm.run(scancel);
        }
        return ids.size();
    }

    /**
     * The {@code sbatch} command line and batch script of {@code request}'s job, and its environment file: the
     * variables of the run and the trial with the session's secrets as {@code ***}, those of Hone's own environment
     * by name only.
     */
    @Override
    public Optional<String> dryRun(Path workspace, SessionConfig config, ProcessRequest request) {
        Path ws = workspace.toAbsolutePath().normalize();
        String name = Jobs.name(Jobs.prefix(config), request, 1);
        JobFiles files = new JobFiles(ws.resolveSibling("slurm").resolve(name));
        Masks masks = config == null ? Masks.NONE : config.masks();
        StringBuilder text = new StringBuilder(String.join(" ", Jobs.sbatch(name, Jobs.resources(config), options,
                request.timeout(), files, ws))).append("\n\n# ").append(files.script()).append('\n')
                .append(files.script(request.command())).append("\n# ").append(files.env())
                .append(" (mode 0600): Hone's environment, by name: ")
                .append(String.join(", ", new TreeSet<>(baseEnv.keySet()))).append('\n');
        Map<String, String> shown = new TreeMap<>();
        if (config != null && config.env() != null) {
            shown.putAll(config.env());
        }
        if (request.env() != null) {
            shown.putAll(request.env());
        }
        shown.forEach((n, value) -> text.append(n).append('=').append(JobFiles.quote(masks.apply(value)))
                .append('\n'));
        return Optional.of(text.toString());
    }

    @Override
    public String kind() {
        return "slurm";
    }

    /**
     * @throws EnvironmentException when this host has no {@code sbatch}, or the nodes do not see the shared
     *                              directory: the run fails before any trial, saying so
     */
    @Override
    public Session open(Path workspace, SessionConfig config) {
        Objects.requireNonNull(workspace, "workspace");
        Optional<String> missing = unavailableReason();
        if (missing.isPresent()) {
            throw new EnvironmentException("slurm executor: " + missing.get());
        }
        if (sharedDir != null) {
            Optional<String> unseen = SharedDirProbe.failure(new SlurmCommands(hostEnv), sharedDir, options);
            if (unseen.isPresent()) {
                throw new EnvironmentException("slurm executor: " + unseen.get());
            }
        }
        Map<String, String> env = new HashMap<>(baseEnv);
        if (config != null && config.env() != null) {
            config.env().forEach((name, value) -> {
                if (name != null && value != null) {
                    env.put(name, value);
                }
            });
        }
        Path ws = workspace.toAbsolutePath().normalize();
        return new SlurmSession(new SlurmCommands(hostEnv), ws, ws.resolveSibling("slurm"), env,
                config == null ? Masks.NONE : config.masks(), logLimit, options, Jobs.resources(config),
                Jobs.prefix(config));
    }
}
