package dev.hone.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The processes one command started: its shell, the shell's descendants and, found by an environment variable
 * they inherited, the ones that outlived their parent and were re-parented (a {@code sleep 1000 &} after the shell
 * exited). The same way Jenkins finds a build's processes. Linux: the variable is read from /proc/PID/environ.
 * Where the command runs in a cgroup of its own ({@link Cgroups}), every process in it is of the tree too, also one
 * that detached and cleared its environment.
 */
final class ProcessTree {

    /** Every process of a tree inherits this variable, with a value unique to the tree. */
    static final String TOKEN_VARIABLE = "HONE_EXEC_TOKEN";
    /** Every process a session started inherits this variable: the session's workspace (absolute, normalized). */
    static final String WORKSPACE_VARIABLE = "HONE_EXEC_WORKSPACE";

    private static final Path PROC = Path.of("/proc");
    private static final Duration FORCE_WAIT = Duration.ofSeconds(2);
    private static final int FORCE_ROUNDS = 5;
    private static final long POLL_MILLIS = 10;
    private static final long RESCAN_MILLIS = 3;

    private final ProcessHandle root;
    private final Cgroups.Cgroup cgroup;
    private final byte[] marker;

    /** @param cgroup the cgroup the command runs in, whose processes are all of the tree; or null */
    ProcessTree(ProcessHandle root, String token, Cgroups.Cgroup cgroup) {
        this(root, cgroup, TOKEN_VARIABLE, token);
    }

    private ProcessTree(ProcessHandle root, Cgroups.Cgroup cgroup, String variable, String value) {
        this.root = root;
        this.cgroup = cgroup;
        this.marker = (variable + "=" + value + "\0").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Every process still running from a session on {@code workspace}, wherever its parent went: those a process
     * that died without stopping them left behind.
     */
    static ProcessTree ofWorkspace(Path workspace) {
        return new ProcessTree(null, null, WORKSPACE_VARIABLE, workspace.toAbsolutePath().normalize().toString());
    }

    /**
     * Stops the whole tree: SIGTERM to every process, up to {@code grace} for them to end, then SIGKILL to whatever
     * is left and to anything started meanwhile. Returns once all are dead, or after a bounded wait for ones that
     * cannot die (uninterruptible sleep).
     */
    void kill(Duration grace) {
        Set<ProcessHandle> targets = alive();
        if (targets.isEmpty()) {
            // A process in the middle of execve() can show an empty environ for an instant: look once more.
            pause(RESCAN_MILLIS);
            targets = alive();
            if (targets.isEmpty()) {
                return;
            }
        }
        signalOldestFirst(targets, ProcessHandle::destroy);
        awaitDeath(targets, grace);
        for (int round = 0; round < FORCE_ROUNDS; round++) {
            Set<ProcessHandle> left = alive();
            for (ProcessHandle target : targets) {
                if (!dead(target)) {
                    left.add(target);
                    target.descendants().filter(h -> !dead(h)).forEach(left::add);
                }
            }
            left.remove(ProcessHandle.current());
            if (left.isEmpty()) {
                return;
            }
            signalOldestFirst(left, ProcessHandle::destroyForcibly);
            awaitDeath(left, FORCE_WAIT);
            targets = left;
        }
    }

    /** The processes of this tree still alive now. */
    Set<ProcessHandle> alive() {
        Set<ProcessHandle> found = new HashSet<>();
        if (root != null) {
            if (!dead(root)) {
                found.add(root);
            }
            root.descendants().filter(h -> !dead(h)).forEach(found::add);
        }
        List<Long> pids = carriersOfToken();
        if (cgroup != null) {
            pids.addAll(cgroup.pids());
        }
        for (long pid : pids) {
            ProcessHandle.of(pid).filter(h -> !dead(h)).ifPresent(found::add);
        }
        found.remove(ProcessHandle.current());
        return found;
    }

    /**
     * Parents before their children: a shell signalled after its child could still react to the child's death (run
     * the next command, print "Killed").
     */
    private static void signalOldestFirst(Set<ProcessHandle> processes, Consumer<ProcessHandle> signal) {
        processes.stream()
                .sorted(Comparator.comparing((ProcessHandle h) -> h.info().startInstant().orElse(Instant.MAX))
                        .thenComparingLong(ProcessHandle::pid))
                .forEach(signal);
    }

    private List<Long> carriersOfToken() {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, ProcessTree::isPidDirectory)) {
            for (Path entry : entries) {
                try {
                    if (holdsMarker(Files.readAllBytes(entry.resolve("environ")))) {
                        pids.add(Long.parseLong(entry.getFileName().toString()));
                    }
                } catch (IOException | SecurityException unreadable) {
                    // another user's process, or one that just ended: not ours
                }
            }
        } catch (IOException | SecurityException noProc) {
            // no /proc: only the descendants are found
        }
        return pids;
    }

    private static boolean isPidDirectory(Path entry) {
        String name = entry.getFileName().toString();
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }

    private boolean holdsMarker(byte[] environ) {
        outer:
        for (int start = 0; start + marker.length <= environ.length; start++) {
            if (start > 0 && environ[start - 1] != 0) {
                continue;
            }
            for (int i = 0; i < marker.length; i++) {
                if (environ[start + i] != marker[i]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void awaitDeath(Set<ProcessHandle> targets, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ProcessHandle> waiting = new ArrayList<>(targets);
        boolean interrupted = false;
        while (true) {
            waiting.removeIf(ProcessTree::dead);
            if (waiting.isEmpty() || System.nanoTime() - deadline >= 0) {
                break;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ended, or a zombie waiting for its parent: either way it holds no pipe and takes no signal. */
    private static boolean dead(ProcessHandle process) {
        return !process.isAlive() || isZombie(process.pid());
    }

    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
            int state = stat.lastIndexOf(')') + 2;
            return state < stat.length() && (stat.charAt(state) == 'Z' || stat.charAt(state) == 'X');
        } catch (IOException | SecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
