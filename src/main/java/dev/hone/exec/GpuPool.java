package dev.hone.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The GPUs the installation hands out to trials (the host's, at most {@code limits.gpus} of them), shared by every
 * run of one Hone process: each trial that asks for N gets N of them no running trial holds, and waits while fewer
 * are free. Safe from any thread.
 */
public final class GpuPool {

    private final GpuInventory inventory;
    /** The GPUs handed out at all: the inventory's first {@code limits.gpus}. */
    private final List<Gpu> handed;
    private final Integer limit;
    private final List<Gpu> free;

    /** @param limit {@code limits.gpus}; null: every GPU of the inventory */
    public GpuPool(GpuInventory inventory, Integer limit) {
        this.inventory = inventory;
        this.limit = limit;
        List<Gpu> all = inventory.gpus();
        this.handed = limit == null || limit >= all.size() ? all : all.subList(0, limit);
        this.free = new ArrayList<>(handed);
    }

    /** No GPU at all (tests, and machines without nvidia-smi). */
    public static GpuPool none() {
        return new GpuPool(new GpuInventory(List.of(), "GPUs: none"), null);
    }

    /** The UUIDs of every GPU handed out at all: what a run's trials may be given. */
    public List<String> uuids() {
        return handed.stream().map(Gpu::uuid).toList();
    }

    /** What the machine has, and where that was read: for {@code hone run --verbose}. */
    public String describe() {
        return inventory.source() + (limit != null && limit < inventory.gpus().size()
                ? "\n  limits.gpus hands out " + limit + " of them" : "");
    }

    /**
     * Why a run whose trials each ask for {@code perTrial} GPUs can never start one, as a problem of
     * {@code environment.resources.gpus}; empty when it can.
     */
    public Optional<String> refusal(int perTrial) {
        if (perTrial <= handed.size()) {
            return Optional.empty();
        }
        int host = inventory.gpus().size();
        String asked = "the run asks for " + gpus(perTrial) + " per trial";
        if (host >= perTrial) {
            return Optional.of(asked + " but the installation hands out at most " + gpus(handed.size())
                    + " (limits.gpus in hone-server.yaml): raise limits.gpus or lower environment.resources.gpus");
        }
        String what = host == 0 ? "this machine has none (" + inventory.source().replaceFirst("^GPUs: none \\(", "")
                : "this machine has " + host;
        return Optional.of(asked + " but " + what + ": lower environment.resources.gpus to " + Math.min(host,
                perTrial) + (host == 0 ? "" : " or fewer") + ", or run on a machine where nvidia-smi lists "
                + gpus(perTrial));
    }

    /**
     * Takes {@code n} free GPUs, waiting while fewer are free; {@code waiting} is told once when it has to wait.
     * Empty when {@code stopped} became true (checked every 50 ms) or the thread was interrupted.
     */
    public Optional<List<Gpu>> take(int n, BooleanSupplier stopped, Runnable waiting) {
        if (n == 0) {
            return Optional.of(List.of());
        }
        boolean told = false;
        synchronized (this) {
            try {
                while (free.size() < n) {
                    if (stopped.getAsBoolean()) {
                        return Optional.empty();
                    }
                    if (!told) {
                        told = true;
                        waiting.run();
                    }
                    wait(50);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
            List<Gpu> taken = new ArrayList<>(free.subList(0, n));
            free.subList(0, n).clear();
            return Optional.of(List.copyOf(taken));
        }
    }

    /** Gives back what {@link #take} handed out. */
    public synchronized void release(List<Gpu> gpus) {
        free.addAll(gpus);
        free.sort((a, b) -> Integer.compare(a.index(), b.index()));
        notifyAll();
    }

    /**
     * Starts measuring what a trial does with {@code gpus} (those {@link #take} gave it) with the {@code nvidia-smi}
     * that listed them; empty when it was given none or none can measure them.
     */
    public Optional<GpuMeter> meter(List<Gpu> gpus) {
        if (gpus.isEmpty() || inventory.program() == null) {
            return Optional.empty();
        }
        return Optional.of(GpuMeter.start(inventory.program(), gpus, GpuMeter.INTERVAL));
    }

    /** "1 GPU", "2 GPUs". */
    public static String gpus(int n) {
        return n + (n == 1 ? " GPU" : " GPUs");
    }
}
