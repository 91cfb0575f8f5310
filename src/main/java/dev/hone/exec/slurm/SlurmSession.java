package dev.hone.exec.slurm;

import dev.hone.exec.Executor;
import dev.hone.exec.Masks;
import dev.hone.exec.ProcessRequest;
import dev.hone.exec.ProcessResult;
import dev.hone.exec.ProcessResult.Ending;
import dev.hone.exec.SessionEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** A run's jobs on the cluster: each request one batch job, any number at once (Slurm queues what does not fit). */
final class SlurmSession implements Executor.Session {

    /** Bound on how long {@link #close} waits for one job to leave the cluster once cancelled. */
    private static final Duration CLOSE_BOUND = Duration.ofSeconds(90);

    final SlurmCommands slurm;
    final Path workspace;
    final Map<String, String> env;
    final Masks masks;
    final long logLimit;
    final SlurmExecutor.Options options;
    final Jobs.Resources resources;
    final JobStates states;
    final Accounting accounting;
    volatile SessionEvents events = SessionEvents.NONE;
    private final Path jobsDir;
    private final String prefix;
    private final Set<BatchJob> running = ConcurrentHashMap.newKeySet();
    private final Map<ProcessRequest, BatchJob> byRequest = Collections.synchronizedMap(new IdentityHashMap<>());
    private final AtomicLong cancellations = new AtomicLong();
    private final AtomicLong commands = new AtomicLong();
    private volatile boolean closed;

    SlurmSession(SlurmCommands slurm, Path workspace, Path jobsDir, Map<String, String> env, Masks masks,
                 long logLimit, SlurmExecutor.Options options, Jobs.Resources resources, String prefix) {
        this.slurm = slurm;
        this.workspace = workspace;
        this.jobsDir = jobsDir;
        this.env = Map.copyOf(env);
        this.masks = masks;
        this.logLimit = logLimit;
        this.options = options;
        this.resources = resources;
        this.prefix = prefix;
        this.states = new JobStates(slurm);
        this.accounting = new Accounting(slurm);
    }

    @Override
    public ProcessResult run(ProcessRequest request) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(request.command(), "request.command");
        if (closed) {
            return failedToStart("the session is closed: the run was cancelled or has ended");
        }
        if (!Files.isDirectory(workspace)) {
            return failedToStart("workspace " + workspace + " does not exist or is not a directory");
        }
        var missing = slurm.missing();
        if (missing.isPresent()) {
            return failedToStart(missing.get());
        }
        long cancellationsBefore = cancellations.get();
        String name = Jobs.name(prefix, request, commands.incrementAndGet());
        BatchJob job = new BatchJob(this, request, name, new JobFiles(jobsDir.resolve(name)));
        running.add(job);
        byRequest.put(request, job);
        try {
            if (closed || cancellations.get() != cancellationsBefore) {
                job.stop("killed: run cancelled");
            }
            return job.run();
        } finally {
            byRequest.remove(request);
            running.remove(job);
        }
    }

    @Override
    public void cancel(ProcessRequest request) {
        BatchJob job = byRequest.get(request);
        if (job != null) {
            job.stop("killed: stopped early");
        }
    }

    @Override
    public void cancelAll() {
        cancellations.incrementAndGet();
        for (BatchJob job : running) {
            job.stop("killed: run cancelled");
        }
    }

    @Override
    public void watch(SessionEvents events) {
        this.events = events == null ? SessionEvents.NONE : events;
    }

    @Override
    public void close() {
        closed = true;
        cancelAll();
        try {
            for (BatchJob job : running) {
                job.awaitFinished(CLOSE_BOUND);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            states.close();
        }
    }

    private static ProcessResult failedToStart(String detail) {
        return new ProcessResult(Ending.FAILED_TO_START, -1, Duration.ZERO, List.of(), detail);
    }
}
