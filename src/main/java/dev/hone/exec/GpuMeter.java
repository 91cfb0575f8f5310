package dev.hone.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * What a trial does with the GPUs it was given, sampled with {@code nvidia-smi --query-gpu=uuid,memory.used,
 * utilization.gpu} once when it starts, every {@link #INTERVAL} while it runs and once when it ends. The allocator
 * gives each trial GPUs no other trial holds, so a GPU's figures are the trial's: the peak is the largest sum of the
 * memory used on its GPUs in one sample, the utilisation the mean over the samples of their mean.
 */
public final class GpuMeter {

    /** How often the GPUs are sampled while the trial runs (nvidia-smi takes tens of milliseconds to answer). */
    static final Duration INTERVAL = Duration.ofSeconds(1);
    static final List<String> QUERY = List.of("--query-gpu=uuid,memory.used,utilization.gpu",
            "--format=csv,noheader,nounits");
    /** Where the figures come from, as a {@code Usage}'s source says it. */
    public static final String SOURCE = "nvidia-smi";
    private static final long TIMEOUT_SECONDS = 10;

    /** The trial's GPUs' figures: the most memory they held at once (bytes) and their mean utilisation (%). */
    public record Reading(long memoryPeakBytes, double utilizationMean) {}

    private final Path program;
    private final Set<String> uuids;
    private final Thread sampler;
    private volatile boolean stopped;
    private long peakBytes;
    private double utilizationSum;
    private int samples;

    private GpuMeter(Path program, List<Gpu> gpus, Duration interval) {
        this.program = program;
        this.uuids = gpus.stream().map(Gpu::uuid).collect(Collectors.toUnmodifiableSet());
        this.sampler = Thread.ofVirtual().name("hone-gpu-usage").unstarted(() -> sampleEvery(interval));
    }

    /** Takes the first sample, then samples every {@code interval} until {@link #stop}. */
    static GpuMeter start(Path program, List<Gpu> gpus, Duration interval) {
        GpuMeter meter = new GpuMeter(program, gpus, interval);
        meter.sample();
        meter.sampler.start();
        return meter;
    }

    /** Takes the last sample and stops; empty when {@code nvidia-smi} answered no sample for these GPUs. */
    public Optional<Reading> stop() {
        stopped = true;
        sampler.interrupt();
        try {
            sampler.join(Duration.ofSeconds(TIMEOUT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sample();
        synchronized (this) {
            return samples == 0 ? Optional.empty() : Optional.of(new Reading(peakBytes, utilizationSum / samples));
        }
    }

    private void sampleEvery(Duration interval) {
        while (!stopped) {
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
            if (!stopped) {
                sample();
            }
        }
    }

    private void sample() {
        List<String> command = new ArrayList<>(List.of(program.toString()));
        command.addAll(QUERY);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return;
            }
            if (p.exitValue() == 0) {
                record(parse(out));
            }
        } catch (IOException e) {
            // nvidia-smi went away or failed: this sample is missing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The memory used (MiB) and utilisation (%) of each GPU in the lines ({@code GPU-…, 4120, 87}), by UUID. */
    static Map<String, double[]> parse(String csv) {
        Map<String, double[]> figures = new LinkedHashMap<>();
        for (String line : csv.split("\\R")) {
            String[] cells = line.split(",");
            if (cells.length == 3) {
                try {
                    figures.put(cells[0].trim(), new double[] {Double.parseDouble(cells[1].trim()),
                            Double.parseDouble(cells[2].trim())});
                } catch (NumberFormatException e) {
                    // [N/A] or a warning: not a figure
                }
            }
        }
        return figures;
    }

    private synchronized void record(Map<String, double[]> figures) {
        long memory = 0;
        double utilization = 0;
        int found = 0;
        for (String uuid : uuids) {
            double[] gpu = figures.get(uuid);
            if (gpu != null) {
                memory += (long) gpu[0] * 1024 * 1024;
                utilization += gpu[1];
                found++;
            }
        }
        if (found > 0) {
            peakBytes = Math.max(peakBytes, memory);
            utilizationSum += utilization / found;
            samples++;
        }
    }
}
