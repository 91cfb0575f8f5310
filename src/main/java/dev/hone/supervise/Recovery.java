package dev.hone.supervise;

import dev.hone.store.EventRow;
import dev.hone.store.RunQueue;
import dev.hone.store.RunRow;
import dev.hone.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a restarted {@code hone serve} takes over from the one before it (killed outright, or stopped): the runs it
 * did not end go back to the queue, to continue from their recorded trials (the finished ones kept, the one that
 * was running run again under its own number); its workspace containers ended with it (their agent saw it go). A run
 * is taken over only when the process that ran it, named in the run directory's {@value #OWNER} file, is gone.
 */
public final class Recovery {

    /** The file in a run directory that names the process running the run: "host:pid". */
    public static final String OWNER = "owner";
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private Recovery() {}

    /** Marks the run directory as this process's run. */
    public static void claim(Path runDir) {
        try {
            Files.createDirectories(runDir);
            Files.writeString(runDir.resolve(OWNER), self() + "\n");
        } catch (IOException e) {
            LOG.warn("cannot write {}: {}", runDir.resolve(OWNER), e.getMessage());
        }
    }

    /**
     * Puts back in the queue the runs that are {@code running} or {@code interrupted} in {@code store}, come from a
     * repository {@code watched} accepts, and whose process is gone; each gets a {@code resumed} event. Returns
     * their ids, oldest first.
     */
    public static List<Long> requeue(Store store, Path dataDir, Predicate<String> watched, InstantSource clock) {
        List<Long> resumed = new ArrayList<>();
        List<RunRow> candidates = new ArrayList<>(store.queue().withStatus(RunQueue.RUNNING));
        candidates.addAll(store.queue().withStatus(RunQueue.INTERRUPTED));
        for (RunRow run : candidates) {
            Path runDir = dataDir.resolve("runs").resolve(Long.toString(run.id()));
            if (run.source() == null || !watched.test(run.source()) || ownedByLiveProcess(runDir)) {
                continue;
            }
            int trials = store.trials(run.id()).size();
            if (store.queue().resume(run.id())) {
                store.addEvent(run.id(), new EventRow("resumed", "hone serve started again: the run continues"
                        + " from its " + trials + " recorded trial" + (trials == 1 ? "" : "s"), clock.instant()));
                resumed.add(run.id());
                LOG.info("event=run_resumed run={} trials={}", run.id(), trials);
            }
        }
        resumed.sort(Long::compare);
        return resumed;
    }

    static boolean ownedByLiveProcess(Path runDir) {
        try {
            String owner = Files.readString(runDir.resolve(OWNER)).strip();
            int colon = owner.lastIndexOf(':');
            if (colon < 0 || !owner.substring(0, colon).equals(host())) {
                return false;
            }
            long pid = Long.parseLong(owner.substring(colon + 1));
            return pid != ProcessHandle.current().pid()
                    && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    private static String self() {
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
