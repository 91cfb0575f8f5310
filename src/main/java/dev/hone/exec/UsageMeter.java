package dev.hone.exec;

import dev.hone.run.Usage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.function.Supplier;

/**
 * Measures what one local command uses while it runs. With a cgroup of its own ({@link Cgroups}) the CPU time is the
 * cgroup's ({@code cpu.stat usage_usec}, exact) and the peak memory its {@code memory.peak}, or its
 * {@code memory.current} sampled, where the memory controller is enabled for it. What the cgroup does not give is
 * sampled from {@code /proc} over the command's processes (every {@link #INTERVAL}; without a cgroup, whose process
 * list is cheap to read, every {@link #SLOW_INTERVAL}): the memory as the largest sum of their resident sets
 * ({@code VmRSS}) and the largest peak of one of them ({@code VmHWM}, the kernel's own peak); the CPU time as the
 * largest sum, over the live processes, of their own time and that of the children they reaped
 * ({@code /proc/PID/stat} utime + stime + cutime + cstime). Sampled figures are a floor: what a process did after the
 * last sample that saw it is not counted.
 */
final class UsageMeter {

    /** How often the command's processes are sampled. */
    static final Duration INTERVAL = Duration.ofMillis(100);
    /** How often they are sampled without a cgroup: finding them scans every process's environment. */
    static final Duration SLOW_INTERVAL = Duration.ofMillis(250);
    private static final Path PROC = Path.of("/proc");
    /** The kernel's clock ticks per second in /proc/PID/stat (USER_HZ: 100 on every Linux architecture Hone runs on). */
    private static final long TICKS_PER_SECOND = 100;

    private final Supplier<Collection<Long>> pids;
    private final Cgroups.Cgroup cgroup;
    private final Thread sampler;
    private final Duration interval;
    private volatile boolean stopped;
    private long peakResident;
    private long peakOneProcess;
    private long peakCgroupMemory;
    private long cpuTicks;

    private UsageMeter(Supplier<Collection<Long>> pids, Cgroups.Cgroup cgroup) {
        this.pids = pids;
        this.cgroup = cgroup;
        this.interval = cgroup == null ? SLOW_INTERVAL : INTERVAL;
        this.sampler = Thread.ofVirtual().name("hone-usage").unstarted(this::sampleUntilStopped);
    }

    /** Starts measuring the processes of {@code tree}, those of {@code cgroup} (null: none) when it has one. */
    static UsageMeter start(ProcessTree tree, Cgroups.Cgroup cgroup) {
        UsageMeter meter = new UsageMeter(cgroup == null ? () -> tree.alive().stream().map(ProcessHandle::pid)
                .toList() : cgroup::pids, cgroup);
        meter.sampler.start();
        return meter;
    }

    /**
     * Stops sampling; what the command used, over {@code wall}, with the cgroup's own figures ({@code readings},
     * null without a cgroup) where it has them.
     */
    Usage finish(Duration wall, Cgroups.Readings readings) {
        stopped = true;
        sampler.interrupt();
        try {
            sampler.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            boolean cgroupCpu = readings != null && readings.cpuMicros() != null;
            boolean cgroupMemory = readings != null && readings.memoryPeakBytes() != null || peakCgroupMemory > 0;
            Duration cpu = cgroupCpu ? Duration.ofNanos(readings.cpuMicros() * 1000)
                    : Duration.ofMillis(cpuTicks * 1000 / TICKS_PER_SECOND);
            long memory = readings != null && readings.memoryPeakBytes() != null ? readings.memoryPeakBytes()
                    : cgroupMemory ? peakCgroupMemory : Math.max(peakResident, peakOneProcess);
            String source = cgroupCpu && cgroupMemory ? "cgroup" : cgroupCpu ? "cgroup + /proc" : "/proc";
            return new Usage(wall, cpu, memory, null, null, source);
        }
    }

    private void sampleUntilStopped() {
        while (!stopped) {
            sample();
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample() {
        long resident = 0;
        long onePeak = 0;
        long ticks = 0;
        for (long pid : pids.get()) {
            Path dir = PROC.resolve(Long.toString(pid));
            ticks += ticks(dir.resolve("stat"));
            long[] memory = residentAndPeak(dir.resolve("status"));
            resident += memory[0];
            onePeak = Math.max(onePeak, memory[1]);
        }
        long cgroupMemory = cgroup == null ? -1 : cgroup.memoryCurrent();
        synchronized (this) {
            peakResident = Math.max(peakResident, resident);
            peakOneProcess = Math.max(peakOneProcess, onePeak);
            peakCgroupMemory = Math.max(peakCgroupMemory, cgroupMemory);
            cpuTicks = Math.max(cpuTicks, ticks);
        }
    }

    /** utime + stime + cutime + cstime of /proc/PID/stat; 0 when the process is gone. */
    static long ticks(Path stat) {
        try {
            String text = Files.readString(stat);
            // "PID (COMMAND) STATE PPID …": the command may hold spaces and parentheses, so count after the last ')'
            String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13])
                    + Long.parseLong(fields[14]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** VmRSS and VmHWM of /proc/PID/status, in bytes; 0 when the process is gone (or is a kernel thread). */
    private static long[] residentAndPeak(Path status) {
        long[] found = new long[2];
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    found[0] = kibibytes(line);
                } else if (line.startsWith("VmHWM:")) {
                    found[1] = kibibytes(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone meanwhile
        }
        return found;
    }

    /** "VmRSS:	  412340 kB" in bytes. */
    private static long kibibytes(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
    }

}
