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
    private final WorkspaceContainer.Plan plan;
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

    /** Container number {@code generation} (0: the first); {@code onDeath} hears of its death. */
    Launched launch(int generation, Consumer<DockerEvents.Death> onDeath) {
        AgentChannel agent = null;
        WorkspaceContainer container = null;
        AutoCloseable watch = null;
        try {
            deleteFifos(plan.agentDir());
            agent = AgentChannel.create(plan.agentDir(), ownership, runId == null ? "run" : runId);
            container = WorkspaceContainer.start(client, plan, name(generation));
            watch = events.watch(container.id(), onDeath);
            awaitAgent(agent, container);
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

    private void awaitAgent(AgentChannel agent, WorkspaceContainer container) {
        long until = System.nanoTime() + AGENT_START.toNanos();
        while (System.nanoTime() - until < 0) {
            try {
                agent.ready().get(100, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                var stopped = container.stopped(quick);
                if (stopped.isPresent()) {
                    throw new HoneException("the workspace container's agent did not start: the container "
                            + stopped.get() + agentLog());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HoneException("interrupted while the workspace container started");
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new HoneException("the workspace container's agent did not answer within "
                + Durations.format(AGENT_START) + agentLog());
    }

    private String agentLog() {
        try {
            String log = Files.readString(plan.agentDir().resolve("agent.log")).strip();
            return log.isEmpty() ? "" : "; the agent said: " + log;
        } catch (IOException e) {
            return "";
        }
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
