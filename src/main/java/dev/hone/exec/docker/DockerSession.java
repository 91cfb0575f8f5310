package dev.hone.exec.docker;

import com.github.dockerjava.api.DockerClient;
import dev.hone.exec.Executor;
import dev.hone.exec.ProcessRequest;
import dev.hone.exec.ProcessResult;
import dev.hone.exec.ProcessResult.Ending;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's environment in one long-lived workspace container: every command is a {@link TrialRun} started by the
 * agent in it, any number at once. A watchdog asks the daemon about the container every
 * {@link #WATCH_INTERVAL}: when the daemon stops answering or the container is gone, what runs is stopped and what
 * comes is refused, with the reason. Closing (also on JVM shutdown: Ctrl-C, SIGTERM) removes the container; were
 * Hone killed outright, the agent sees its FIFO close and the container ends and removes itself.
 */
final class DockerSession implements Executor.Session {

    static final Duration WATCH_INTERVAL = Duration.ofSeconds(1);
    private static final Duration CLOSE_MARGIN = Duration.ofSeconds(15);
    private static final Logger LOG = LoggerFactory.getLogger(DockerSession.class);

    private final DockerClient client;
    private final DockerClient quick;
    private final WorkspaceContainer container;
    private final AgentChannel agent;
    private final TrialRun.Context context;
    private final Set<TrialRun> running = ConcurrentHashMap.newKeySet();
    private final Map<ProcessRequest, TrialRun> byRequest = Collections.synchronizedMap(new IdentityHashMap<>());
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicLong cancellations = new AtomicLong();
    private final Thread watchdog;
    private final Thread shutdownHook;
    private volatile String broken;
    private volatile boolean closed;
    private boolean released;

    /** Takes over the clients, the started container and the agent's channel: {@link #close} releases them. */
    DockerSession(DockerClient client, DockerClient quick, WorkspaceContainer container, AgentChannel agent,
                  TrialRun.Context context) {
        this.client = client;
        this.quick = quick;
        this.container = container;
        this.agent = agent;
        this.context = context;
        this.watchdog = Thread.ofPlatform().daemon().name("hone-docker-watchdog-" + container.id().substring(0, 12))
                .start(this::watch);
        this.shutdownHook = Thread.ofPlatform().unstarted(this::removeOnShutdown);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    String containerId() {
        return container.id();
    }

    @Override
    public ProcessResult run(ProcessRequest request) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(request.command(), "request.command");
        long startNanos = System.nanoTime();
        if (closed) {
            return failedToStart(startNanos, "the session is closed: the run was cancelled or has ended");
        }
        if (broken != null) {
            return failedToStart(startNanos, broken);
        }
        long cancellationsBefore = cancellations.get();
        TrialRun run = new TrialRun(ids.incrementAndGet(), context);
        running.add(run);
        byRequest.put(request, run);
        try {
            if (closed || cancellations.get() != cancellationsBefore) {
                run.stop(Ending.KILLED, "killed: run cancelled");
            }
            String reason = broken;
            if (reason != null) {
                run.stop(Ending.KILLED, reason);
            }
            return run.run(request, startNanos);
        } finally {
            byRequest.remove(request);
            running.remove(run);
        }
    }

    @Override
    public void cancel(ProcessRequest request) {
        TrialRun run = byRequest.get(request);
        if (run != null) {
            run.stop(Ending.KILLED, "killed: stopped early");
        }
    }

    @Override
    public void cancelAll() {
        cancellations.incrementAndGet();
        for (TrialRun run : running) {
            run.stop(Ending.KILLED, "killed: run cancelled");
        }
    }

    private void watch() {
        while (!closed) {
            try {
                Thread.sleep(WATCH_INTERVAL);
            } catch (InterruptedException e) {
                return;
            }
            if (closed) {
                return;
            }
            String problem;
            boolean gone = false;
            try {
                Optional<String> stopped = container.stopped(quick);
                gone = stopped.isPresent();
                problem = stopped.map(s -> "the workspace container " + container.id().substring(0, 12)
                        + " stopped: " + s).orElse(null);
            } catch (RuntimeException e) {
                problem = "Docker daemon stopped answering: " + Docker.cause(e);
            }
            if (problem != null && !closed) {
                LOG.warn("{}; the run's commands are stopped", problem);
                broken = problem;
                for (TrialRun run : running) {
                    if (gone) {
                        run.abandon(problem);
                    } else {
                        run.stop(Ending.KILLED, problem);
                    }
                }
                return;
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        cancelAll();
        watchdog.interrupt();
        try {
            for (TrialRun run : running) {
                run.awaitFinished(context.killGrace().plus(CLOSE_MARGIN));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        release();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs release() too
        }
    }

    private void removeOnShutdown() {
        if (!closed) {
            closed = true;
            cancelAll();
        }
        release();
    }

    /** Removes the container and the agent's files; never throws. */
    private synchronized void release() {
        if (released) {
            return;
        }
        released = true;
        try {
            container.remove(client);
        } catch (RuntimeException e) {
            LOG.warn("could not remove the workspace container {}: {}; it removes itself when its agent sees Hone"
                    + " gone, and `docker rm -f {}` removes it now", container.id(), Docker.cause(e),
                    container.id().substring(0, 12));
        }
        agent.close();
        deleteTree(context.agentDir());
        for (DockerClient c : List.of(client, quick)) {
            try {
                c.close();
            } catch (IOException | RuntimeException e) {
                LOG.debug("closing a Docker client failed", e);
            }
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not delete {}", dir, e);
        }
    }

    private static ProcessResult failedToStart(long startNanos, String detail) {
        return new ProcessResult(Ending.FAILED_TO_START, -1, Duration.ofNanos(System.nanoTime() - startNanos),
                List.of(), detail);
    }
}
