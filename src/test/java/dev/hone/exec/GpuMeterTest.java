package dev.hone.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a trial does with its GPUs, read from the stand-in nvidia-smi (src/test/resources/…/fake-nvidia-smi). */
class GpuMeterTest {

    private static final long MIB = 1024 * 1024;
    /** So long that the meter samples only when it starts and when it stops. */
    private static final Duration ONLY_AT_START_AND_STOP = Duration.ofHours(1);

    @TempDir
    Path bin;

    @Test
    void thePeakIsTheMostMemoryTheTrialsGpusHeldAtOnceAndTheUtilisationTheMeanOfTheSamples() {
        FakeNvidiaSmi.installIn(bin);
        FakeNvidiaSmi.using(bin, Map.of(0, new int[] {1000, 40}, 1, new int[] {3000, 80}, 2, new int[] {9999, 99}));
        GpuMeter meter = GpuMeter.start(bin.resolve("nvidia-smi"), gpus(0, 1), ONLY_AT_START_AND_STOP);
        FakeNvidiaSmi.using(bin, Map.of(0, new int[] {2000, 60}, 1, new int[] {1000, 20}, 2, new int[] {9999, 99}));

        Optional<GpuMeter.Reading> reading = meter.stop();

        // GPU 2 is another trial's: left out
        assertThat(reading).contains(new GpuMeter.Reading(4000 * MIB, (60 + 40) / 2.0));
    }

    @Test
    void aGpuThatNvidiaSmiDoesNotListGivesNoReading() {
        FakeNvidiaSmi.installIn(bin);
        FakeNvidiaSmi.using(bin, Map.of(0, new int[] {1000, 40}));

        assertThat(GpuMeter.start(bin.resolve("nvidia-smi"), gpus(3), ONLY_AT_START_AND_STOP).stop()).isEmpty();
    }

    @Test
    void aPoolMetersOnlyTrialsGivenGpusAndOnlyWithTheNvidiaSmiThatListedThem() {
        FakeNvidiaSmi.installIn(bin);
        GpuInventory listed = GpuInventory.read(Map.of("PATH", bin + ":/usr/bin:/bin"));
        GpuPool pool = new GpuPool(listed, null);

        assertThat(listed.program()).isEqualTo(bin.resolve("nvidia-smi"));
        assertThat(pool.meter(List.of())).isEmpty();
        assertThat(pool.meter(listed.gpus().subList(0, 1)).flatMap(GpuMeter::stop))
                .contains(new GpuMeter.Reading(0, 0));
        assertThat(new GpuPool(new GpuInventory(listed.gpus(), "tests"), null).meter(listed.gpus())).isEmpty();
    }

    private static List<Gpu> gpus(int... indexes) {
        return java.util.Arrays.stream(indexes).mapToObj(i -> new Gpu(i, FakeNvidiaSmi.uuid(i), "NVIDIA Stand-In A100",
                40960 * MIB)).toList();
    }
}
