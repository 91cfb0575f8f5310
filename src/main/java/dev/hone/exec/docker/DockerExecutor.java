package dev.hone.exec.docker;

import com.github.dockerjava.api.DockerClient;
import dev.hone.error.HoneException;
import dev.hone.data.RunDir;
import dev.hone.detect.Detector;
import dev.hone.detect.Framework;
import dev.hone.exec.Executor;
import dev.hone.exec.SessionConfig;
import dev.hone.restart.RestartPolicy;
import dev.hone.restart.Supervisor;
import dev.hone.spec.ServerSpec;
import dev.hone.time.Sleeper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs a run's commands in one Docker container (Engine API over the daemon's socket, {@code DOCKER_HOST} honoured).
 * {@link #open} starts the workspace container: the run directory (the workspace's parent) bind-mounted at the same
 * path, so {@code $HONE_OUTPUT} is written straight into the store and needs no copying back; the workspace as the
 * working directory; a small agent (POSIX sh) as main process, which starts each command as its own process group
 * when asked through a FIFO in the run directory, so a trial costs no {@code docker exec}. The container's
 * environment is the image's, then the {@link SessionConfig#env()}; each command adds its request's. A command's
 * output reaches its log file, tail and consumer with {@link SessionConfig#secrets()} masked.
 *
 * <p>Limits: {@link SessionConfig#memoryBytes()} (swap included) and {@link SessionConfig#cpus()} when given, a pids
 * limit always ({@link Options#pidsLimit()}), network {@code none} unless {@link SessionConfig#network()}; never
 * privileged, no capabilities, never the Docker socket inside, never root (see {@link Ownership}).
 */
public final class DockerExecutor implements Executor {

    /**
     * Settings of the executor itself: the pids limit of its containers, the grace between SIGTERM and SIGKILL,
     * how a workspace container that died is started again, how long the daemon may be unreachable before a
     * run's commands are stopped (a daemon restart takes a few seconds), and the most a command's log file holds
     * ({@code limits.log_size}).
     */
    public record Options(long pidsLimit, Duration killGrace, RestartPolicy restarts, Duration daemonGrace,
                          long logLimit) {

        /** 1024 processes and threads per container; 2 s between SIGTERM and SIGKILL; {@link
         * RestartPolicy#WORKSPACE}; 15 s without the daemon; logs of {@link ServerSpec#DEFAULT_LOG_SIZE}. */
        public static final Options DEFAULTS = new Options(1024, Duration.ofSeconds(2), RestartPolicy.WORKSPACE,
                Duration.ofSeconds(15), ServerSpec.DEFAULT_LOG_SIZE);

        public Options {
            if (pidsLimit < 16) {
                throw new IllegalArgumentException("pids limit must be at least 16, got " + pidsLimit);
            }
            Objects.requireNonNull(killGrace, "killGrace");
            if (killGrace.isNegative()) {
                throw new IllegalArgumentException("kill grace must not be negative, got " + killGrace);
            }
            Objects.requireNonNull(restarts, "restarts");
            Objects.requireNonNull(daemonGrace, "daemonGrace");
        }

        public Options(long pidsLimit, Duration killGrace) {
            this(pidsLimit, killGrace, DEFAULTS.restarts(), DEFAULTS.daemonGrace(), DEFAULTS.logLimit());
        }

        public Options withRestarts(RestartPolicy policy) {
            return new Options(pidsLimit, killGrace, policy, daemonGrace, logLimit);
        }

        public Options withDaemonGrace(Duration grace) {
            return new Options(pidsLimit, killGrace, restarts, grace, logLimit);
        }

        public Options withLogLimit(long bytes) {
            return new Options(pidsLimit, killGrace, restarts, daemonGrace, bytes);
        }
    }

    /** The daemon's answer to create, start, inspect and remove. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
    /** What a run that asks for GPUs is told when the daemon cannot hand any to a container. */
    static final String NO_GPU_RUNTIME = "this Docker has no GPU runtime (nvidia-container-toolkit): install it, or"
            + " run GPU trials with executor: local";

    private final Map<String, String> env;
    private final Options options;
    private final InstantSource clock;
    private final Sleeper sleeper;
    private final DockerEvents events;

    /** @param env where the daemon is ({@code DOCKER_HOST}, ...), usually {@code System.getenv()} */
    public DockerExecutor(Map<String, String> env) {
        this(env, Options.DEFAULTS);
    }

    public DockerExecutor(Map<String, String> env, Options options) {
        this(env, options, InstantSource.system(), Sleeper.system());
    }

    /** @param clock and {@code sleeper}: the restart back-off's time */
    public DockerExecutor(Map<String, String> env, Options options, InstantSource clock, Sleeper sleeper) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.events = new DockerEvents(this.env);
    }

    @Override
    public String kind() {
        return "docker";
    }

    /**
     * The image a run uses, ready in the daemon: {@code dockerfile} (relative to the workspace) built into
     * {@code hone-build/<project>:<hash>} unless built before from the same content, its output kept in the run
     * directory's {@link RunDir#imageBuildLog()}; else {@code image}; else ({@code null} or "auto") the image of
     * {@code framework}. Put the name in {@link SessionConfig#image()}.
     *
     * @throws HoneException the daemon does not answer, the build failed (with the log's last lines), or the image
     *                       is missing (naming both ways to get it)
     */
    public String image(Path workspace, String project, String image, String dockerfile, Framework framework) {
        try (DockerClient client = Docker.client(env, null)) {
            ping(client);
            String name;
            if (dockerfile != null && !dockerfile.isBlank()) {
                Path dir = workspace.toAbsolutePath().normalize();
                name = new DockerfileImages(client).image(dir, dockerfile, project == null ? "project" : project,
                        RunDir.ofWorkspace(dir).imageBuildLog());
            } else {
                name = image == null || image.isBlank() || image.equals("auto") ? Images.forFramework(framework)
                        : image;
            }
            Images.require(client, name, Docker.host(env));
            return name;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts the workspace container. {@code config.image()} "auto" or null: the image of the framework detected in
     * the workspace.
     *
     * @throws HoneException the daemon does not answer, the image is missing, or the container did not start
     */
    @Override
    public Session open(Path workspace, SessionConfig config) {
        Path ws = workspace.toAbsolutePath().normalize();
        if (ws.getParent() == null || ws.getParent().getParent() == null || !Files.isDirectory(ws)) {
            throw new HoneException("docker executor: workspace " + ws + " must be an existing directory inside a"
                    + " run directory (" + RunDir.WORKSPACE_IN_DATA + "): that directory is what the container mounts");
        }
        RunDir run = RunDir.ofWorkspace(ws);
        Path runDir = run.root();
        String image = config.image() == null || config.image().isBlank() || config.image().equals("auto")
                ? Images.forFramework(Detector.detect(ws).framework()) : config.image();
        DockerClient client = Docker.client(env, CALL_TIMEOUT);
        DockerClient quick = Docker.client(env, Docker.PING_TIMEOUT);
        Path agentDir = run.agent();
        try {
            ping(client);
            Images.ImageInfo info = Images.require(client, image, Docker.host(env));
            Ownership ownership = Ownership.ofThisProcess();
            ownership.giveTree(ws);
            Path script = WorkspaceLauncher.prepareAgentDir(agentDir, ownership);
            WorkspaceContainer.Plan plan = new WorkspaceContainer.Plan(image, runDir, ws, script, agentDir,
                    ownership.user(), ownership.environment(info, config.env()),
                    WorkspaceContainer.labels(config.runId(), config.project()), config.cpus(),
                    config.memoryBytes(), options.pidsLimit(), config.network(), Map.of(), config.gpus());
            WorkspaceLauncher launcher = new WorkspaceLauncher(client, quick, events, plan, ownership,
                    config.runId());
            WorkspaceSupervisor supervised = WorkspaceSupervisor.start(launcher, config.runId(),
                    new Supervisor(options.restarts(), clock), sleeper);
            TrialRun.Context context = new TrialRun.Context(agentDir, ws, runDir, ownership,
                    new Endings.Limits(config.memoryBytes(), options.pidsLimit(), config.network()), options.killGrace(),
                    config.masks(), options.logLimit());
            return new DockerSession(client, quick, supervised, context, options.restarts().maxRestarts(),
                    options.daemonGrace());
        } catch (RuntimeException e) {
            WorkspaceLauncher.deleteTree(agentDir);
            closeQuietly(client);
            closeQuietly(quick);
            if (!config.gpus().isEmpty() && Docker.cause(e).contains("could not select device driver")) {
                throw new HoneException("docker executor: " + NO_GPU_RUNTIME, e);
            }
            if (e instanceof HoneException) {
                throw e;
            }
            throw new HoneException("docker executor: could not start the workspace container from " + image
                    + " at " + Docker.host(env) + ": " + Docker.cause(e), e);
        }
    }

    /**
     * Removes the containers that Hone processes of this machine which have ended left behind (found by their
     * {@code hone.owner} label): for a restarted Hone. Returns their ids.
     */
    public List<String> removeLeftovers() {
        try (DockerClient client = Docker.client(env, CALL_TIMEOUT)) {
            return WorkspaceContainer.removeLeftovers(client);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The image {@code image} names in the daemon now, by its content: its id ({@code sha256:…}), and the
     * registry digests it was pulled or pushed by ({@code name@sha256:…}), for a run's reproducibility record; empty
     * when the daemon does not answer or lacks it.
     */
    public Optional<String> digest(String image) {
        try (DockerClient client = Docker.client(env, CALL_TIMEOUT)) {
            return Images.digest(client, image);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Why a run could not train in {@code image} here now: the daemon does not answer (within a few seconds), or
     * it lacks the image (the message names both ways to get it); empty when it can. For {@code executor: auto}.
     */
    public Optional<String> unavailableFor(String image) {
        try (DockerClient client = Docker.client(env, Docker.PING_TIMEOUT)) {
            ping(client);
            Images.require(client, image, Docker.host(env));
            return Optional.empty();
        } catch (HoneException e) {
            return Optional.of(e.getMessage());
        } catch (IOException | RuntimeException e) {
            return Optional.of("the Docker daemon at " + Docker.host(env) + " does not answer (" + Docker.cause(e)
                    + ")");
        }
    }

    private void ping(DockerClient client) {
        try {
            client.pingCmd().exec();
        } catch (RuntimeException e) {
            throw new HoneException("the Docker daemon at " + Docker.host(env) + " does not answer ("
                    + Docker.cause(e) + "): start it (dockerd, or systemctl start docker), set DOCKER_HOST, or use"
                    + " executor: local");
        }
    }


    private static void closeQuietly(DockerClient client) {
        try {
            client.close();
        } catch (IOException | RuntimeException e) {
            // nothing more to release
        }
    }
}
