package dev.hone.exec.docker;

import com.github.dockerjava.api.DockerClient;
import dev.hone.exec.Executor;
import dev.hone.exec.ProcessRequest;
import dev.hone.exec.ProcessResult;
import dev.hone.exec.ProcessResult.Ending;
import dev.hone.exec.SessionEvents;
import dev.hone.supervise.Supervisor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's environment in one long-lived workspace container, kept running by a {@link WorkspaceSupervisor}: every
 * command is a {@link TrialRun} started by the agent in it, any number at once. When the container dies under its
 * commands (its {@code die} event), each is run again from the start in the container started in its place, its
 * log marked; past the restart policy they fail with the reason. A watchdog looks at the container every
 * {@link #WATCH_INTERVAL} too: when the daemon stops answering for longer than the grace, what runs is stopped and
 * what comes is refused. Closing (also on JVM shutdown) removes the container; were Hone killed outright, the agent
 * sees its FIFO close and the container ends and removes itself.
 */
final class DockerSession implements Executor.Session, WorkspaceSupervisor.Listener {

    static final Duration WATCH_INTERVAL = Duration.ofSeconds(2);
    private static final Duration CLOSE_MARGIN = Duration.ofSeconds(15);
    private static final String CLOSED = "the session is closed: the run was cancelled or has ended";
    private static final Logger LOG = LoggerFactory.getLogger(DockerSession.class);

    /** A request in flight: the run it has now (a new one after each restart), and why it must stop. */
    private static final class Attempt {
        final CompletableFuture<String> stop = new CompletableFuture<>();
        volatile TrialRun run;

        void stop(String why) {
            stop.complete(why);
            TrialRun r = run;
            if (r != null) {
                r.stop(Ending.KILLED, why);
            }
        }
    }

    private final DockerClient client;
    private final DockerClient quick;
    private final WorkspaceSupervisor workspace;
    private final TrialRun.Context context;
    private final int maxRestarts;
    private final Duration daemonGrace;
    private final Map<ProcessRequest, Attempt> inFlight = Collections.synchronizedMap(new IdentityHashMap<>());
    private final List<ProcessRequest> interrupted = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicLong cancellations = new AtomicLong();
    private final Thread watchdog;
    private final Thread shutdownHook;
    private volatile SessionEvents listener = SessionEvents.NONE;
    private volatile String lastDeath;
    private volatile String broken;
    private volatile boolean closed;
    private boolean released;

    /** Takes over the clients and the supervised container: {@link #close} releases them. */
    DockerSession(DockerClient client, DockerClient quick, WorkspaceSupervisor workspace, TrialRun.Context context,
                  int maxRestarts, Duration daemonGrace) {
        this.client = client;
        this.quick = quick;
        this.workspace = workspace;
        this.context = context;
        this.maxRestarts = maxRestarts;
        this.daemonGrace = daemonGrace;
        workspace.listen(this);
        this.watchdog = Thread.ofPlatform().daemon().name("hone-docker-watchdog-" + containerId().substring(0, 12))
                .start(this::watch);
        this.shutdownHook = Thread.ofPlatform().unstarted(this::removeOnShutdown);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** The current workspace container's id. */
    String containerId() {
        return workspace.current().container().id();
    }

    @Override
    public void watch(SessionEvents events) {
        this.listener = events == null ? SessionEvents.NONE : events;
    }

    @Override
    public ProcessResult run(ProcessRequest request) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(request.command(), "request.command");
        long startNanos = System.nanoTime();
        if (closed || broken != null) {
            return failedToStart(startNanos, closed ? CLOSED : broken);
        }
        long cancellationsBefore = cancellations.get();
        Attempt attempt = new Attempt();
        inFlight.put(request, attempt);
        try {
            if (closed || cancellations.get() != cancellationsBefore) {
                attempt.stop("killed: run cancelled");
            }
            String rerunBecause = null;
            while (true) {
                WorkspaceSupervisor.Incarnation in;
                try {
                    in = workspace.awaitRunning(attempt.stop);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    attempt.stop("killed: interrupted");
                    in = null;
                }
                if (in == null) {
                    String why = attempt.stop.isDone() ? attempt.stop.join() : broken != null ? broken
                            : workspace.failed() != null ? workspace.failed() : CLOSED;
                    if (rerunBecause != null) {
                        mark(request, "--- hone: " + why + "; " + trial(request) + " not run again ---");
                    }
                    return new ProcessResult(attempt.stop.isDone() ? Ending.KILLED : Ending.FAILED_TO_START, -1,
                            Duration.ofNanos(System.nanoTime() - startNanos), List.of(), why);
                }
                if (rerunBecause != null) {
                    mark(request, "--- hone: container restarted (" + rerunBecause + "); re-running "
                            + trial(request) + " ---");
                }
                TrialRun run = new TrialRun(ids.incrementAndGet(), context, in.agent());
                attempt.run = run;
                if (attempt.stop.isDone()) {
                    run.stop(Ending.KILLED, attempt.stop.join());
                }
                if (broken != null) {
                    run.stop(Ending.KILLED, broken);
                }
                if (!workspace.isCurrent(in)) {
                    run.containerDied(lastDeath);
                }
                ProcessResult result = run.run(request, startNanos, rerunBecause != null);
                if (!run.interruptedByDeath() || attempt.stop.isDone() || closed) {
                    return result;
                }
                rerunBecause = lastDeath;
            }
        } finally {
            inFlight.remove(request);
        }
    }

    @Override
    public void cancel(ProcessRequest request) {
        Attempt attempt = inFlight.get(request);
        if (attempt != null) {
            attempt.stop("killed: stopped early");
        }
    }

    @Override
    public void cancelAll() {
        cancellations.incrementAndGet();
        for (Attempt attempt : attempts()) {
            attempt.stop("killed: run cancelled");
        }
    }

    @Override
    public void died(String reason) {
        lastDeath = reason;
        interrupted.clear();
        synchronized (inFlight) {
            inFlight.forEach((request, attempt) -> {
                TrialRun run = attempt.run;
                if (run != null && !attempt.stop.isDone()) {
                    interrupted.add(request);
                    run.containerDied(reason);
                }
            });
        }
    }

    @Override
    public void restarted(Supervisor.Restart restart, String reason, Duration downtime, String containerId) {
        LOG.info("the workspace container runs again as {} after {} ms ({} of {} in a row)",
                containerId.substring(0, 12), downtime.toMillis(), restart.inARow(), maxRestarts);
        tell(l -> l.restarted(new SessionEvents.Restart(containerId.substring(0, 12), restart.inARow(),
                restart.total(), maxRestarts, reason, downtime, List.copyOf(interrupted))));
    }

    @Override
    public void gaveUp(int restarts, String reason) {
        tell(l -> l.gaveUp(new SessionEvents.GaveUp(containerId().substring(0, 12), restarts, reason)));
    }

    private void tell(java.util.function.Consumer<SessionEvents> call) {
        try {
            call.accept(listener);
        } catch (RuntimeException e) {
            LOG.warn("a session listener failed", e);
        }
    }

    /** Fallback to the event stream, and the daemon's health: looks at the container every few seconds. */
    private void watch() {
        long unreachableSince = 0;
        while (!closed) {
            try {
                Thread.sleep(WATCH_INTERVAL);
            } catch (InterruptedException e) {
                return;
            }
            WorkspaceSupervisor.Incarnation in = workspace.current();
            if (closed || in == null || !workspace.isCurrent(in)) {
                continue;
            }
            try {
                Optional<String> stopped = in.container().stopped(quick);
                unreachableSince = 0;
                stopped.ifPresent(s -> workspace.died(in.container().id(), -1, "the container " + s, Instant.now()));
            } catch (RuntimeException e) {
                long now = System.nanoTime();
                unreachableSince = unreachableSince == 0 ? now : unreachableSince;
                if (now - unreachableSince >= daemonGrace.toNanos()) {
                    breakDown("Docker daemon stopped answering: " + Docker.cause(e));
                    return;
                }
            }
        }
    }

    private void breakDown(String problem) {
        if (closed) {
            return;
        }
        LOG.warn("{}; the run's commands are stopped", problem);
        broken = problem;
        workspace.fail(problem);
        for (Attempt attempt : attempts()) {
            TrialRun run = attempt.run;
            if (run != null) {
                run.stop(Ending.KILLED, problem);
            }
        }
    }

    private List<Attempt> attempts() {
        synchronized (inFlight) {
            return List.copyOf(inFlight.values());
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
            for (Attempt attempt : attempts()) {
                TrialRun run = attempt.run;
                if (run != null) {
                    run.awaitFinished(context.killGrace().plus(CLOSE_MARGIN));
                }
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
        workspace.close();
        deleteTree(context.agentDir());
        for (DockerClient c : List.of(client, quick)) {
            try {
                c.close();
            } catch (IOException | RuntimeException e) {
                LOG.debug("closing a Docker client failed", e);
            }
        }
    }

    /** "trial 3" (from the trial contract's HONE_TRIAL), else "the command". */
    private static String trial(ProcessRequest request) {
        String n = request.env() == null ? null : request.env().get("HONE_TRIAL");
        return n == null ? "the command" : "trial " + n;
    }

    private static void mark(ProcessRequest request, String line) {
        if (request.logFile() == null) {
            return;
        }
        try {
            Files.writeString(request.logFile(), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            LOG.warn("cannot mark the restart in {}: {}", request.logFile(), e.getMessage());
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
