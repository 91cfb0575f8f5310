package dev.hone.pipeline;

import dev.hone.data.DataDir;
import dev.hone.data.RunDir;
import dev.hone.exec.LocalExecutor;
import dev.hone.exec.slurm.SlurmExecutor;
import dev.hone.run.RunEvent;
import dev.hone.run.RunStatus;
import dev.hone.store.Lease;
import dev.hone.store.RunRow;
import dev.hone.store.Store;
import dev.hone.store.TrialRow;
import dev.hone.tune.Trial;
import dev.hone.tune.TrialState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a restarted {@code hone serve} takes over from the one before it (killed outright, or stopped): the runs it
 * did not end go back to the queue, to continue from their recorded trials (the finished ones kept, the one that
 * was running run again under its own number); its workspace containers ended with it (their agent saw it go). A run
 * is taken over only when the process that ran it, named in the run directory's {@link RunDir#owner()} file, is gone. A run
 * of a {@code hone run} that died is nobody's to resume: {@link #endAbandoned} records it interrupted.
 */
public final class Recovery {

    private static final String QUEUED = "queued";
    private static final String DIRECT = "direct";
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private Recovery() {}

    /**
     * Marks the run directory as this process's run: "host:pid", then how the run came ({@value #QUEUED} from
     * {@code hone serve}'s queue, else {@value #DIRECT}: {@code hone run}).
     */
    public static void claim(RunDir runDir, boolean queued) {
        try {
            Files.createDirectories(runDir.root());
            Files.writeString(runDir.owner(), self() + "\n" + (queued ? QUEUED : DIRECT) + "\n");
        } catch (IOException e) {
            LOG.warn("cannot write {}: {}", runDir.owner(), e.getMessage());
        }
    }

    /**
     * Puts back in the queue the runs that are {@code running} or {@code interrupted} in {@code store}, come from a
     * repository {@code watched} accepts, and whose process is gone: its lease expired, or it never had one, or the
     * run directory names a process of this host that has ended, or this process (a restart need not wait for the
     * lease). A run
     * another controller holds by a lease that has not expired is its. Each gets a {@code resumed} event. Returns
     * their ids, oldest first.
     */
    public static List<Long> requeue(Store store, DataDir dataDir, Predicate<String> watched, InstantSource clock) {
        List<Long> resumed = new ArrayList<>();
        List<RunRow> candidates = new ArrayList<>(store.queue().withStatus(RunStatus.RUNNING));
        candidates.addAll(store.queue().withStatus(RunStatus.INTERRUPTED));
        for (RunRow run : candidates) {
            RunDir runDir = dataDir.run(run.id());
            if (run.source() == null || !watched.test(run.source()) || ownedByLiveProcess(runDir)
                    || (store.queue().leased(run.id(), clock.instant()) && !endedHere(runDir))) {
                continue;
            }
            int trials = store.trials(run.id()).size();
            if (store.queue().resume(run.id())) {
                store.addEvent(run.id(), new RunEvent.Resumed(trials), clock.instant());
                resumed.add(run.id());
                LOG.info("event=run_resumed run={} trials={}", run.id(), trials);
            }
        }
        resumed.sort(Long::compare);
        return resumed;
    }

    /**
     * Takes over the runs whose controller's lease expired (it died, or stopped) while this one runs: each, if it
     * comes from a repository {@code watched} accepts, is not {@code ours} and is not run by a live process of this
     * host, goes back to the queue with a {@code resumed} event that names the controller, for whichever controller
     * is free to claim it. Two controllers taking over at once take each run once. Returns their ids, oldest first.
     */
    public static List<Long> takeOver(Store store, DataDir dataDir, Predicate<String> watched, Predicate<Long> ours,
                                      InstantSource clock) {
        List<Long> taken = new ArrayList<>();
        for (Lease lease : store.queue().leaseExpired(clock.instant())) {
            if (lease.source() == null || !watched.test(lease.source()) || ours.test(lease.runId())
                    || ownedByLiveProcess(dataDir.run(lease.runId()))) {
                continue;
            }
            int trials = store.trials(lease.runId()).size();
            if (store.queue().takeOver(lease.runId(), clock.instant())) {
                store.addEvent(lease.runId(), new RunEvent.Resumed(trials, lease.controller()), clock.instant());
                taken.add(lease.runId());
                LOG.info("event=run_taken_over run={} from={} trials={}", lease.runId(), lease.controller(), trials);
            }
        }
        return taken;
    }

    /**
     * Ends the runs a {@code hone run} left {@code running} when its process died (killed outright, or the machine
     * went down) on this machine: each is recorded {@code interrupted} with an event, its trials that were running
     * {@code killed}, and the processes it left running in its workspace are stopped, and its Slurm jobs cancelled
     * ({@code env}'s PATH finds scancel). Runs {@code hone serve} took
     * from its queue are its to resume, and a run whose process cannot be told dead is left alone.
     * Returns what to tell the user, when there were any.
     */
    public static Optional<String> endAbandoned(Store store, DataDir dataDir, InstantSource clock,
                                                Map<String, String> env) {
        List<Long> ended = new ArrayList<>();
        for (RunRow run : store.queue().withStatus(RunStatus.RUNNING)) {
            RunDir runDir = dataDir.run(run.id());
            if (owner(runDir) != Owner.DEAD_DIRECT) {
                continue;
            }
            LocalExecutor.stopLeftovers(runDir.workspace());
            SlurmExecutor.cancelLeftovers(env, runDir.workspace());
            Instant now = clock.instant();
            for (TrialRow t : store.trials(run.id())) {
                Trial trial = t.trial();
                if (trial.state() == TrialState.RUNNING) {
                    store.saveTrial(run.id(), trial.ended(TrialState.KILLED, "Hone stopped while it ran",
                            Duration.between(t.startedAt(), now).toMillis()), t.startedAt(), t.logPath());
                }
            }
            store.finishRun(run.id(), RunStatus.INTERRUPTED, run.bestTrial(), now);
            store.addEvent(run.id(), new RunEvent.Interrupted(RunEvent.Interrupted.Cause.RUN_GONE), now);
            ended.add(run.id());
            LOG.info("event=run_abandoned run={}", run.id());
        }
        if (ended.isEmpty()) {
            return Optional.empty();
        }
        ended.sort(Long::compare);
        return Optional.of("hone: " + (ended.size() == 1 ? "run " : "runs ")
                + ended.stream().map(String::valueOf).collect(Collectors.joining(", "))
                + (ended.size() == 1 ? " was" : " were") + " left running by a hone run that is gone: recorded"
                + " interrupted");
    }

    /** Who runs a run, as its run directory's owner file tells. */
    private enum Owner {
        /** Another process of this host, alive. */
        ALIVE,
        /** A process of this host that is gone; the run came from hone serve's queue. */
        DEAD,
        /** A {@code hone run} of this host that is gone. */
        DEAD_DIRECT,
        /** This process. */
        SELF,
        /** No owner file, or one of another host: cannot be told from here. */
        UNKNOWN
    }

    private static Owner owner(RunDir runDir) {
        try {
            List<String> lines = Files.readAllLines(runDir.owner());
            String owner = lines.isEmpty() ? "" : lines.getFirst().strip();
            int colon = owner.lastIndexOf(':');
            if (colon < 0 || !owner.substring(0, colon).equals(host())) {
                return Owner.UNKNOWN;
            }
            long pid = Long.parseLong(owner.substring(colon + 1));
            if (pid == ProcessHandle.current().pid()) {
                return Owner.SELF;
            }
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                return Owner.ALIVE;
            }
            return lines.stream().skip(1).anyMatch(DIRECT::equals) ? Owner.DEAD_DIRECT : Owner.DEAD;
        } catch (IOException | NumberFormatException e) {
            return Owner.UNKNOWN;
        }
    }

    /** Whether the run directory names a process of this host that is gone, or this process. */
    private static boolean endedHere(RunDir runDir) {
        Owner owner = owner(runDir);
        return owner == Owner.DEAD || owner == Owner.SELF;
    }

    static boolean ownedByLiveProcess(RunDir runDir) {
        return owner(runDir) == Owner.ALIVE;
    }

    /** This process, as run directories name it: {@code host:pid}. */
    public static String self() {
        return host() + ":" + ProcessHandle.current().pid();
    }

    private static String host() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException | RuntimeException e) {
            String name = System.getenv("HOSTNAME");
            return name == null ? "localhost" : name;
        }
    }
}
