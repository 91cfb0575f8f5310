package dev.hone.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where this machine lets Hone put each local command in a cgroup v2 of its own, as systemd and Docker do: a
 * process cannot leave its cgroup, so killing the cgroup stops even a daemon that detached and cleared its
 * environment ({@code setsid env -i …}). The cgroups are {@code <Hone's own cgroup>/hone-<pid>/cmd-<n>}; Hone stays
 * where it is (a cgroup without controllers enabled below it may hold processes and children both). Linux only;
 * elsewhere, or without the right to create cgroups, {@link #detect} says why not, and commands' processes are
 * found as before: by descent and by a variable in their environment ({@link ProcessTree}).
 */
final class Cgroups {

    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
    private static final Path OWN_CGROUP = Path.of("/proc/self/cgroup");
    private static final Duration EMPTY_WAIT = Duration.ofSeconds(5);
    private static final long POLL_MILLIS = 5;

    private static volatile Availability detected;

    /**
     * Whether commands get cgroups here: the cgroups they go in, or none; and the line {@code hone run --verbose}
     * prints to say which.
     */
    record Availability(Optional<Cgroups> cgroups, String line) {}

    private final Path base;
    private final AtomicLong counter = new AtomicLong();

    private Cgroups(Path base) {
        this.base = base;
    }

    /** This machine's answer, found once: a cgroup v2 hierarchy Hone may create cgroups in and move processes to. */
    static Availability detect() {
        Availability result = detected;
        if (result == null) {
            synchronized (Cgroups.class) {
                result = detected;
                if (result == null) {
                    Optional<Path> mount = cgroup2Mount();
                    Optional<String> own = ownCgroup();
                    result = mount.isEmpty() ? unavailable("no cgroup v2 hierarchy is mounted")
                            : own.isEmpty() ? unavailable("/proc/self/cgroup names no cgroup v2 cgroup for Hone")
                            : under(mount.get(), own.get());
                    detected = result;
                }
            }
        }
        return result;
    }

    /**
     * Whether commands can get cgroups in the cgroup v2 hierarchy mounted at {@code root}, below Hone's own cgroup
     * {@code own} (as {@code /proc/self/cgroup} names it: {@code /} for the root).
     */
    static Availability under(Path root, String own) {
        if (!Files.exists(root.resolve("cgroup.controllers"))) {
            return unavailable(root + " is not a cgroup v2 hierarchy");
        }
        Path parent = root.resolve(own.replaceFirst("^/+", "")).normalize();
        Path base = parent.resolve("hone-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(base);
            boolean movable = Files.isWritable(base.resolve("cgroup.procs"));
            removeQuietly(base);
            if (!movable) {
                return unavailable("cannot move processes into cgroups under " + parent);
            }
        } catch (IOException | SecurityException e) {
            return unavailable("cannot create a cgroup under " + parent + ": " + e.getMessage());
        }
        return new Availability(Optional.of(new Cgroups(base)),
                "local trials: each in its own cgroup (cgroup v2 at " + root + ")");
    }

    private static Availability unavailable(String why) {
        return new Availability(Optional.empty(), "local trials: no cgroup available (" + why + "); a process that"
                + " leaves the trial's process tree and clears its environment may outlive it");
    }

    private static Optional<Path> cgroup2Mount() {
        try {
            for (String line : Files.readAllLines(MOUNTINFO)) {
                // "36 25 0:30 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw": the type follows " - ".
                int separator = line.indexOf(" - ");
                String[] before = line.substring(0, Math.max(separator, 0)).split(" ");
                if (separator > 0 && before.length > 4 && line.substring(separator + 3).startsWith("cgroup2 ")
                        && before[3].equals("/")) {
                    return Optional.of(Path.of(before[4].replace("\\040", " ")));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no /proc
        }
        return Optional.empty();
    }

    private static Optional<String> ownCgroup() {
        try {
            for (String line : Files.readAllLines(OWN_CGROUP)) {
                if (line.startsWith("0::")) {
                    return Optional.of(line.substring(3));
                }
            }
        } catch (IOException | SecurityException e) {
            // not Linux, or no /proc
        }
        return Optional.empty();
    }

    /** A new, empty cgroup for one command. */
    Cgroup create() throws IOException {
        Path path = base.resolve("cmd-" + counter.incrementAndGet());
        try {
            Files.createDirectories(path);
        } catch (NoSuchFileException parentJustRemoved) {
            // another command's cgroup ended and took the shared parent away in between: create both again
            Files.createDirectories(path);
        }
        return new Cgroup(path);
    }

    /** One command's cgroup. Its processes move themselves in ({@link #procs}) before anything else runs. */
    final class Cgroup {

        private final Path path;

        private Cgroup(Path path) {
            this.path = path;
        }

        /** The file a process writes its pid to, to move itself in. */
        Path procs() {
            return path.resolve("cgroup.procs");
        }

        /** The processes in the cgroup now; none once it is removed. */
        List<Long> pids() {
            List<Long> pids = new ArrayList<>();
            try {
                for (String line : Files.readAllLines(procs(), StandardCharsets.US_ASCII)) {
                    if (!line.isBlank()) {
                        pids.add(Long.parseLong(line.trim()));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // removed, or never created
            }
            return pids;
        }

        /** The memory the cgroup holds now ({@code memory.current}); -1 without the memory controller. */
        long memoryCurrent() {
            return readNumber(path.resolve("memory.current"), null);
        }

        /**
         * Kills every process in the cgroup, those they start meanwhile too, waits until it is empty (a bounded
         * wait, for processes that cannot die) and removes it. Returns what its processes used, read before it goes.
         */
        Readings killAndRemove() {
            long deadline = System.nanoTime() + EMPTY_WAIT.toNanos();
            boolean hasKill = Files.exists(path.resolve("cgroup.kill"));
            while (true) {
                List<Long> left = pids();
                if (left.isEmpty() || System.nanoTime() - deadline >= 0) {
                    break;
                }
                if (hasKill) {
                    write(path.resolve("cgroup.kill"), "1");
                } else {
                    left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
                }
                pause();
            }
            long cpu = readNumber(path.resolve("cpu.stat"), "usage_usec");
            long peak = readNumber(path.resolve("memory.peak"), null);
            removeQuietly(path);
            removeQuietly(base);
            return new Readings(cpu < 0 ? null : cpu, peak < 0 ? null : peak);
        }
    }

    /**
     * What a cgroup's processes used, as the cgroup counts it: CPU time in microseconds ({@code cpu.stat}
     * {@code usage_usec}) and the most memory it held ({@code memory.peak}, kernels since 5.19 with the memory
     * controller); each null where the cgroup does not say.
     */
    record Readings(Long cpuMicros, Long memoryPeakBytes) {}

    /** The number of a one-number file, or of line {@code key} of a "key number" file; -1 when unreadable. */
    private static long readNumber(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                String[] words = line.trim().split(" ");
                if (key == null && words.length == 1) {
                    return Long.parseLong(words[0]);
                }
                if (key != null && words.length == 2 && words[0].equals(key)) {
                    return Long.parseLong(words[1]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // no such file here (no controller, an older kernel), or the cgroup is gone
        }
        return -1;
    }

    private static void write(Path file, String value) {
        try {
            Files.writeString(file, value, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            // the cgroup went away: nothing left to kill
        }
    }

    /** Removes an empty cgroup; one still in use (another command's parent, a process that cannot die) stays. */
    private static void removeQuietly(Path cgroup) {
        try {
            Files.deleteIfExists(cgroup);
        } catch (IOException | SecurityException e) {
            // busy or not ours: left in place
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
