package dev.hone.exec;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/** Test helpers around real processes: unique markers to find them by, bounded waits for conditions. */
final class Processes {

    private static final Set<String> MARKERS = ConcurrentHashMap.newKeySet();

    private Processes() {}

    /** A sleep duration long enough to outlive any test and unique enough to find the process by: 300.483920. */
    static String sleepMarker() {
        String marker = String.format("300.%06d", ThreadLocalRandom.current().nextInt(1_000_000));
        MARKERS.add(marker);
        return marker;
    }

    /** Kills what a failed test left running: the processes of every marker handed out. */
    static void killLeftovers() {
        for (String marker : MARKERS) {
            ProcessHandle.allProcesses()
                    .filter(h -> h.info().commandLine().orElse("").contains(marker))
                    .forEach(ProcessHandle::destroyForcibly);
        }
        MARKERS.clear();
    }

    /** The live processes whose command line contains {@code marker}. */
    static List<String> running(String marker) {
        return ProcessHandle.allProcesses()
                .filter(ProcessHandle::isAlive)
                .map(h -> h.pid() + " " + h.info().commandLine().orElse(""))
                .filter(line -> line.contains(marker))
                .toList();
    }

    /** Waits until the condition holds; fails after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what, e);
            }
        }
    }
}
