package dev.hone.retention;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What one sweep deleted, or, for a plan, would delete: each file or directory with its size, and the deletions
 * that failed (each saying what and why; what failed is not in {@code items}).
 */
public record Sweep(List<Item> items, List<String> failures) {

    /** What is deleted: a run's workspace, a trial's directory or a run's log, a whole run. */
    public enum Kind {
        WORKSPACES, LOGS, RUNS;

        /** {@code workspaces}, {@code logs} or {@code runs}: the key of {@code retention} that expired it. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One file or directory: of run {@code run}, of its trial {@code trial} (null: of the run as a whole), its
     * {@code bytes}. A {@link Kind#RUNS} item stands for the run's records in the store too.
     */
    public record Item(Kind kind, long run, Integer trial, Path path, long bytes) {}

    public Sweep {
        items = List.copyOf(items);
        failures = List.copyOf(failures);
    }

    public long bytes() {
        return items.stream().mapToLong(Item::bytes).sum();
    }

    public long bytes(Kind kind) {
        return items.stream().filter(i -> i.kind() == kind).mapToLong(Item::bytes).sum();
    }

    public long count(Kind kind) {
        return items.stream().filter(i -> i.kind() == kind).count();
    }

    /** The runs whose records go: those of its {@link Kind#RUNS} items. */
    public long runs() {
        return items.stream().filter(i -> i.kind() == Kind.RUNS).mapToLong(Item::run).distinct().count();
    }

    /** {@code 3.2 MiB: workspaces 2 (3.0 MiB), logs 5 (200.0 KiB), runs 0 (0 B)}: the total, then by kind. */
    public String summary() {
        return size(bytes()) + ": " + List.of(Kind.values()).stream()
                .map(k -> k.label() + " " + count(k) + " (" + size(bytes(k)) + ")")
                .collect(Collectors.joining(", "));
    }

    /** A size for people: {@code 0 B}, {@code 512 B}, {@code 1.5 KiB}, {@code 3.0 MiB}, {@code 2.1 GiB}. */
    public static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
