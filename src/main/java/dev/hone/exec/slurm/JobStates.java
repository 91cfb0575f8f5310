package dev.hone.exec.slurm;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The states of a session's jobs, read together by one {@code squeue} every {@link #PERIOD} on a thread of its own
 * while any is watched ({@code squeue -t all} lists finished jobs too, while slurmctld keeps them). A job
 * {@code squeue} no longer knows is {@link #GONE}.
 */
final class JobStates implements AutoCloseable {

    static final Duration PERIOD = Duration.ofMillis(100);
    /** A watched job Slurm no longer knows (past {@code MinJobAge}, or never known). */
    static final State GONE = new State("GONE", "");
    /** A job no {@code squeue} has answered for yet. */
    static final State UNKNOWN = new State("UNKNOWN", "");

    /**
     * A job's state as {@code squeue} spells it (RUNNING, COMPLETED, NODE_FAIL, …) and its reason (Resources,
     * NodeDown, None).
     */
    record State(String name, String reason) {

        private static final Set<String> ENDED = Set.of("COMPLETED", "FAILED", "TIMEOUT", "OUT_OF_MEMORY",
                "CANCELLED", "NODE_FAIL", "PREEMPTED", "BOOT_FAIL", "DEADLINE", "SPECIAL_EXIT", "REVOKED", "GONE");

        /** Whether the job has ended (its processes are gone) or Slurm no longer knows it. */
        boolean ended() {
            return ENDED.contains(name);
        }
    }

    private final SlurmCommands slurm;
    private final Map<String, State> states = new ConcurrentHashMap<>();
    private volatile String problem;
    /**
     * Completed by the next read (or {@link #wake}), then replaced: a future, so that a thread of a fork-join pool
     * waiting on it lets the pool run other tasks meanwhile.
     */
    private final AtomicReference<CompletableFuture<Void>> nextRead = new AtomicReference<>(new CompletableFuture<>());
    private volatile boolean closed;
    private Thread poller;

    JobStates(SlurmCommands slurm) {
        this.slurm = slurm;
    }

    /** Starts reading {@code jobId}'s state. */
    synchronized void watch(String jobId) {
        states.put(jobId, UNKNOWN);
        if (poller == null && !closed) {
            poller = Thread.ofPlatform().daemon().name("hone-slurm-squeue").start(this::poll);
        }
        LockSupport.unpark(poller);
    }

    /** Stops reading {@code jobId}'s state. */
    void forget(String jobId) {
        states.remove(jobId);
    }

    /** The state last read of a watched job; {@link #UNKNOWN} before the first read. */
    State of(String jobId) {
        return states.getOrDefault(jobId, UNKNOWN);
    }

    /** Waits for the next read of the states, or a {@link #wake}, at most {@code timeout}. */
    void awaitRead(Duration timeout) throws InterruptedException {
        try {
            nextRead.get().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // the next look
        }
    }

    /** Ends every {@link #awaitRead} now: the states were read, or a job must stop. */
    void wake() {
        nextRead.getAndSet(new CompletableFuture<>()).complete(null);
    }

    /** Why the last {@code squeue} failed (slurmctld does not answer), or null when it answered. */
    String problem() {
        return problem;
    }

    @Override
    public void close() {
        closed = true;
        Thread t;
        synchronized (this) {
            t = poller;
        }
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private void poll() {
        while (!closed) {
            List<String> ids = List.copyOf(states.keySet());
            if (ids.isEmpty()) {
                LockSupport.parkNanos(PERIOD.toNanos() * 10);
                continue;
            }
            read(ids);
            wake();
            LockSupport.parkNanos(PERIOD.toNanos());
        }
    }

    private void read(List<String> ids) {
        SlurmCommands.Output out = slurm.run(List.of("squeue", "-h", "-t", "all", "-o", "%i|%T|%r", "-j",
                String.join(",", ids)));
        if (!out.ok()) {
            // squeue refuses a list of job ids it knows none of
            if (out.err().contains("Invalid job id")) {
                ids.forEach(id -> states.replace(id, GONE));
                problem = null;
            } else {
                problem = "squeue failed: " + out.problem();
            }
            return;
        }
        problem = null;
        Map<String, State> read = new HashMap<>();
        for (String line : out.out().split("\n")) {
            String[] fields = line.strip().split("\\|", 3);
            if (fields.length == 3) {
                read.put(fields[0], new State(fields[1], fields[2]));
            }
        }
        for (String id : ids) {
            states.replace(id, read.getOrDefault(id, GONE));
        }
    }
}
