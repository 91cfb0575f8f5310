package dev.hone.exec.docker;

import com.github.dockerjava.api.DockerClient;
import dev.hone.error.HoneException;
import dev.hone.data.DataDir;
import dev.hone.time.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * Starts a run's workspace container from its {@link WorkspaceContainer.Plan}, the first time and after each death
 * alike: fresh agent FIFOs in the agent directory (the agent of a dead container may have left requests unread), the
 * container, watched on the daemon's events from the moment it exists, and its agent listening. Whatever fails,
 * nothing is left behind.
 */
final class WorkspaceLauncher {

    /** How long the agent may take to listen once the container started. */
    static final Duration AGENT_START = Duration.ofSeconds(30);

    /** A started container, the channel to its agent, and its watch on the event stream. */
    record Launched(WorkspaceContainer container, AgentChannel agent, AutoCloseable watch) {}

    private final DockerClient client;
    private final DockerClient quick;
    private final DockerEvents events;
    /** Replaced (once at most) when the way to the run directory crosses a directory of the image it must hide. */
    private volatile WorkspaceContainer.Plan plan;
    private final Ownership ownership;
    private final String runId;

    WorkspaceLauncher(DockerClient client, DockerClient quick, DockerEvents events, WorkspaceContainer.Plan plan,
                      Ownership ownership, String runId) {
        this.client = client;
        this.quick = quick;
        this.events = events;
        this.plan = plan;
        this.ownership = ownership;
        this.runId = runId;
    }

    /**
     * Container number {@code generation} (0: the first); {@code onDeath} hears of its death. When a directory of
     * the image on the way to the run directory is closed to the container's user (/root, as root with Hone's data
     * in ~/.hone), it is hidden under an empty open one and the container started again: the user could not open
     * anything in it anyway.
     */
    Launched launch(int generation, Consumer<DockerEvents.Death> onDeath) {
        try {
            return attempt(generation, onDeath);
        } catch (Unreachable e) {
            Path closed = e.path();
            if (!closed.equals(plan.runDir()) && plan.runDir().startsWith(closed)
                    && !plan.hidden().containsKey(closed)) {
                plan = plan.hiding(closed, cover(plan.hidden().size()));
                LoggerFactory.getLogger(WorkspaceLauncher.class).info("{} in {} is closed to the container's user"
                        + " {} (mode {}): it is hidden under an empty directory", closed, plan.image(), e.user(),
                        e.mode());
                try {
                    return attempt(generation, onDeath);
                } catch (Unreachable again) {
                    throw new HoneException(again.explain(plan));
                }
            }
            throw new HoneException(e.explain(plan));
        }
    }

    /**
     * What the agent said when it could not reach its directory: {@code user} "1000:1000", {@code mode}
     * "drwx------", {@code owner} "0:0" of the first directory on the way it could not open, {@code path}.
     */
    static final class Unreachable extends RuntimeException {

        private final String user;
        private final String mode;
        private final String owner;
        private final Path path;

        private Unreachable(String user, String mode, String owner, Path path) {
            super("unreachable " + path, null, false, false);
            this.user = user;
            this.mode = mode;
            this.owner = owner;
            this.path = path;
        }

        /** The agent's last report ("unreachable 1000:1000 drwx------ 0:0 /root"), if that is what it says. */
        static Optional<Unreachable> parse(String log) {
            String last = log.strip().lines().reduce((first, second) -> second).orElse("");
            String[] words = last.split(" ", 5);
            if (words.length < 5 || !words[0].equals("unreachable") || !words[4].startsWith("/")) {
                return Optional.empty();
            }
            return Optional.of(new Unreachable(words[1], words[2], words[3], Path.of(words[4])));
        }

        String user() {
            return user;
        }

        String mode() {
            return mode;
        }

        Path path() {
            return path;
        }

        /** Why the container cannot reach the run directory, and what to do. */
        String explain(WorkspaceContainer.Plan plan) {
            String what = "the workspace container's user (uid:gid " + user + ") cannot open " + path + " (" + mode
                    + ", owner " + owner + ")";
            if (plan.runDir().startsWith(path) && !path.equals(plan.runDir())) {
                return what + " in image " + plan.image() + ", on the way to the run directory "
                        + plan.runDir() + " that it mounts at its own path: set Hone's data directory (--data,"
                        + " data_dir) to a path outside " + path;
            }
            return what + (path.equals(plan.runDir()) ? ", the run directory it mounts"
                    : " in the run directory it mounts, " + plan.runDir()) + ": the run directory must be open"
                    + " to that user; start Hone with umask 022 (Hone writes the run's files with the umask it"
                    + " runs with), or with rootless Docker or user namespaces (userns-remap) make the data"
                    + " directory belong to the user that uid " + user.substring(0, user.indexOf(':'))
                    + " is on this machine";
        }
    }

    /** An empty directory, open to every user, to cover a directory of the image with. */
    private Path cover(int index) {
        Path cover = plan.agentDir().resolve("cover-" + index);
        try {
            Files.createDirectories(cover);
            Files.setPosixFilePermissions(cover, PosixFilePermissions.fromString("rwxr-xr-x"));
            return cover;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + cover + ": " + e.getMessage(), e);
        }
    }

    private Launched attempt(int generation, Consumer<DockerEvents.Death> onDeath) {
        WorkspaceContainer.Plan plan = this.plan;
        AgentChannel agent = null;
        WorkspaceContainer container = null;
        AutoCloseable watch = null;
        try {
            deleteFifos(plan.agentDir());
            agent = AgentChannel.create(plan.agentDir(), ownership, runId == null ? "run" : runId);
            container = WorkspaceContainer.start(client, plan, name(generation));
            watch = events.watch(container.id(), onDeath);
            awaitAgent(agent, container, plan);
            return new Launched(container, agent, watch);
        } catch (RuntimeException e) {
            if (watch != null) {
                try {
                    watch.close();
                } catch (Exception ignored) {
                    // nothing is watched any more
                }
            }
            if (container != null) {
                try {
                    container.remove(client);
                } catch (RuntimeException ignored) {
                    // it removes itself once its agent sees the FIFO closed
                }
            }
            if (agent != null) {
                agent.close();
            }
            throw e;
        }
    }

    /** Empty while it runs; else what became of it (see {@link WorkspaceContainer#stopped}). */
    Optional<String> stopped(WorkspaceContainer container) {
        return container.stopped(quick);
    }

    /** Removes a container, with its agent channel; never throws. */
    void remove(WorkspaceContainer container, AgentChannel agent) {
        try {
            container.remove(client);
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(WorkspaceLauncher.class).warn("could not remove the workspace"
                    + " container {}: {}; it removes itself when its agent sees Hone gone, and `docker rm -f {}`"
                    + " removes it now", container.id(), Docker.cause(e), container.id().substring(0, 12));
        }
        agent.close();
    }

    private void awaitAgent(AgentChannel agent, WorkspaceContainer container, WorkspaceContainer.Plan plan) {
        long until = System.nanoTime() + AGENT_START.toNanos();
        while (System.nanoTime() - until < 0) {
            try {
                agent.ready().get(100, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                var stopped = container.stopped(quick);
                if (stopped.isPresent()) {
                    Optional<Unreachable> unreachable = Unreachable.parse(agentLog(plan));
                    if (unreachable.isPresent()) {
                        throw unreachable.get();
                    }
                    throw new HoneException("the workspace container's agent did not start: the container "
                            + stopped.get() + said(agentLog(plan)));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HoneException("interrupted while the workspace container started");
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new HoneException("the workspace container's agent did not answer within "
                + Durations.format(AGENT_START) + said(agentLog(plan)));
    }

    private static String agentLog(WorkspaceContainer.Plan plan) {
        try {
            return Files.readString(plan.agentDir().resolve("agent.log")).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static String said(String log) {
        return log.isEmpty() ? "" : "; the agent said: " + log;
    }

    /** hone-run-7-3fa2c1d0, and -r1, -r2, … for the containers started in its place. */
    private String name(int generation) {
        String id = runId == null ? "" : runId.replaceAll("[^A-Za-z0-9_.-]", "-");
        return "hone-run-" + id + "-" + UUID.randomUUID().toString().substring(0, 8)
                + (generation == 0 ? "" : "-r" + generation);
    }

    private static void deleteFifos(Path agentDir) {
        try {
            Files.deleteIfExists(agentDir.resolve("requests"));
            Files.deleteIfExists(agentDir.resolve("events"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace the agent's FIFOs in " + agentDir + ": "
                    + e.getMessage(), e);
        }
    }

    /** Writes the agent's script into a fresh agent directory; returns the script. */
    static Path prepareAgentDir(Path agentDir, Ownership ownership) {
        try {
            deleteTree(agentDir);
            Files.createDirectories(agentDir.resolve("t"));
            Path script = agentDir.resolve("agent.sh");
            try (InputStream in = WorkspaceLauncher.class.getResourceAsStream("agent.sh")) {
                Files.write(script, Objects.requireNonNull(in, "agent.sh resource").readAllBytes());
            }
            ownership.give(agentDir);
            ownership.give(agentDir.resolve("t"));
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the agent's files to " + agentDir + ": " + e.getMessage(), e);
        }
    }

    /** Deletes a directory and what it holds; never throws. */
    static void deleteTree(Path dir) {
        try {
            DataDir.delete(dir);
        } catch (IOException | RuntimeException e) {
            LoggerFactory.getLogger(WorkspaceLauncher.class).debug("could not delete {}", dir, e);
        }
    }
}
