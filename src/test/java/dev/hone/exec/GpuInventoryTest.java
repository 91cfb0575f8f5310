package dev.hone.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GpuInventoryTest {

    @TempDir
    Path tmp;

    @Test
    void readsEveryGpuNvidiaSmiLists() {
        Path bin = FakeNvidiaSmi.installIn(tmp.resolve("bin"));

        GpuInventory inventory = GpuInventory.read(Map.of("PATH", bin + ":/usr/bin:/bin"));

        assertThat(inventory.gpus()).containsExactly(
                new Gpu(0, FakeNvidiaSmi.uuid(0), "NVIDIA Stand-In A100", 40960L << 20),
                new Gpu(1, FakeNvidiaSmi.uuid(1), "NVIDIA Stand-In A100", 40960L << 20));
        assertThat(inventory.source()).startsWith("GPUs: 2 (" + bin.resolve("nvidia-smi") + ")\n  0 "
                + FakeNvidiaSmi.uuid(0) + " NVIDIA Stand-In A100");
    }

    @Test
    void noneWithoutNvidiaSmiOnThePath() {
        GpuInventory inventory = GpuInventory.read(Map.of("PATH", tmp.toString()));

        assertThat(inventory.gpus()).isEmpty();
        assertThat(inventory.source()).isEqualTo("GPUs: none (no nvidia-smi on the PATH)");
    }

    @Test
    void noneWhenNvidiaSmiFailsAndItSaysWhy() {
        Path bin = FakeNvidiaSmi.installIn(tmp.resolve("bin"));

        GpuInventory inventory = GpuInventory.read(Map.of("PATH", bin + ":/usr/bin:/bin", "FAKE_NVIDIA_SMI_FAIL", "1"));

        assertThat(inventory.gpus()).isEmpty();
        assertThat(inventory.source()).isEqualTo("GPUs: none (" + bin.resolve("nvidia-smi") + " failed with exit code 9:"
                + " NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.)");
    }

    @Test
    void parsesNamesWithCommasAndUnknownMemoryAndSkipsOtherLines() {
        assertThat(GpuInventory.parse("""
                0, GPU-a, Tesla T4, 15360 MiB
                WARNING: infoROM is corrupted at gpu 0000:00:04.0
                1, GPU-b, Odd, Name, [N/A]
                """)).containsExactly(
                new Gpu(0, "GPU-a", "Tesla T4", 15360L << 20),
                new Gpu(1, "GPU-b", "Odd, Name", 0));
    }
}
