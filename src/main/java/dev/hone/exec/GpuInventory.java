package dev.hone.exec;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The GPUs of this machine, read once from {@code nvidia-smi --query-gpu=index,uuid,name,memory.total
 * --format=csv,noheader} found on the {@code PATH} Hone was given. None when there is no {@code nvidia-smi} or it
 * fails; {@code source} says which, for {@code hone run --verbose}. {@code program}: the {@code nvidia-smi} that listed
 * them, which also measures what trials use of them ({@link GpuMeter}); null when none did.
 */
public record GpuInventory(List<Gpu> gpus, String source, Path program) {

    public static final List<String> QUERY = List.of("--query-gpu=index,uuid,name,memory.total",
            "--format=csv,noheader");
    private static final long TIMEOUT_SECONDS = 20;

    public GpuInventory {
        gpus = List.copyOf(gpus);
    }

    /** GPUs no {@code nvidia-smi} can measure (none, or tests'). */
    public GpuInventory(List<Gpu> gpus, String source) {
        this(gpus, source, null);
    }

    /** Runs the {@code nvidia-smi} of {@code env}'s {@code PATH}, in {@code env}. */
    public static GpuInventory read(Map<String, String> env) {
        Optional<Path> program = onPath(env.getOrDefault("PATH", ""), "nvidia-smi");
        if (program.isEmpty()) {
            return new GpuInventory(List.of(), "GPUs: none (no nvidia-smi on the PATH)");
        }
        List<String> command = new ArrayList<>(List.of(program.get().toString()));
        command.addAll(QUERY);
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().clear();
            builder.environment().putAll(env);
            Process p = builder.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new GpuInventory(List.of(), "GPUs: none (" + program.get() + " did not answer in "
                        + TIMEOUT_SECONDS + "s)");
            }
            if (p.exitValue() != 0) {
                return new GpuInventory(List.of(), "GPUs: none (" + program.get() + " failed with exit code "
                        + p.exitValue() + ": " + firstLine(out) + ")");
            }
            List<Gpu> gpus = parse(out);
            return new GpuInventory(gpus, "GPUs: " + gpus.size() + " (" + program.get() + ")"
                    + gpus.stream().map(g -> "\n  " + g.index() + " " + g.uuid() + " " + g.name()).reduce("",
                    String::concat), program.get());
        } catch (IOException e) {
            return new GpuInventory(List.of(), "GPUs: none (" + program.get() + " could not run: " + e.getMessage()
                    + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new GpuInventory(List.of(), "GPUs: none (interrupted while reading nvidia-smi)");
        }
    }

    /**
     * The GPUs of {@code nvidia-smi}'s CSV lines ({@code 0, GPU-8f6a…, NVIDIA A100-SXM4-40GB, 40960 MiB}); a line
     * that is not one is left out.
     */
    static List<Gpu> parse(String csv) {
        List<Gpu> gpus = new ArrayList<>();
        for (String line : csv.split("\\R")) {
            String[] cells = line.split(",");
            if (cells.length < 4) {
                continue;
            }
            try {
                int index = Integer.parseInt(cells[0].trim());
                String uuid = cells[1].trim();
                String name = String.join(",", List.of(cells).subList(2, cells.length - 1)).trim();
                gpus.add(new Gpu(index, uuid, name, mebibytes(cells[cells.length - 1].trim())));
            } catch (NumberFormatException e) {
                // not a GPU's line (a warning nvidia-smi printed): left out
            }
        }
        return gpus;
    }

    /** 0 when nvidia-smi does not know ({@code [N/A]}). */
    private static long mebibytes(String cell) {
        try {
            return Long.parseLong(cell.replaceAll("(?i)\\s*MiB$", "")) * 1024 * 1024;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Optional<Path> onPath(String path, String name) {
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static String firstLine(String text) {
        String trimmed = text.strip();
        int end = trimmed.indexOf('\n');
        return end < 0 ? trimmed : trimmed.substring(0, end);
    }
}
