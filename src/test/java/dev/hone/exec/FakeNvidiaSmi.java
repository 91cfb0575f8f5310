package dev.hone.exec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * The stand-in {@code nvidia-smi} of the tests (src/test/resources/dev/hone/exec/fake-nvidia-smi): prints two GPUs,
 * or {@code FAKE_NVIDIA_SMI_GPUS} of them, or fails as without a driver when {@code FAKE_NVIDIA_SMI_FAIL} is set.
 */
public final class FakeNvidiaSmi {

    /** The UUID the stand-in gives GPU {@code index}. */
    public static String uuid(int index) {
        return "GPU-0000000" + index + "-fake-4e2b-9c1d-stand-in";
    }

    private FakeNvidiaSmi() {}

    /**
     * Makes the stand-in installed in {@code dir} say that GPU {@code index} uses {@code memoryMiB} of memory at
     * {@code utilization} percent (and the other GPUs named before, what they were said to use).
     */
    public static void using(Path dir, Map<Integer, int[]> memoryMiBAndUtilization) {
        StringBuilder csv = new StringBuilder();
        memoryMiBAndUtilization.forEach((index, figures) -> csv.append(uuid(index)).append(", ").append(figures[0])
                .append(", ").append(figures[1]).append('\n'));
        try {
            Files.writeString(dir.resolve("usage.csv"), csv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Installs it in {@code dir} and puts {@code dir} first on {@code env}'s PATH (the PATH given to Hone). */
    public static void putOnPath(Map<String, String> env, Path dir) {
        env.put("PATH", installIn(dir) + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
    }

    /** Installs it as {@code dir/nvidia-smi}; returns {@code dir}, to put first on a PATH. */
    public static Path installIn(Path dir) {
        try (InputStream in = FakeNvidiaSmi.class.getResourceAsStream("fake-nvidia-smi")) {
            Files.createDirectories(dir);
            Path program = dir.resolve("nvidia-smi");
            Files.copy(in, program, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
