package dev.hone.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class GpuPoolTest {

    private static final Gpu A = new Gpu(0, "GPU-a", "T4", 1);
    private static final Gpu B = new Gpu(1, "GPU-b", "T4", 1);
    private static final GpuInventory TWO = new GpuInventory(List.of(A, B), "GPUs: 2 (stand-in)");

    @Test
    void handsOutDistinctGpusAndATrialThatFindsTooFewFreeWaitsUntilOneIsGivenBack() throws Exception {
        GpuPool pool = new GpuPool(TWO, null);
        List<Gpu> first = pool.take(1, () -> false, () -> {}).orElseThrow();
        List<Gpu> second = pool.take(1, () -> false, () -> {}).orElseThrow();
        assertThat(first).doesNotContainAnyElementsOf(second);

        CountDownLatch waiting = new CountDownLatch(1);
        CompletableFuture<Optional<List<Gpu>>> third = CompletableFuture.supplyAsync(
                () -> pool.take(1, () -> false, waiting::countDown));
        assertThat(waiting.await(10, TimeUnit.SECONDS)).as("told it waits").isTrue();
        assertThat(third).isNotDone();

        pool.release(first);

        assertThat(third.get(10, TimeUnit.SECONDS)).contains(first);
    }

    @Test
    void aWaitingTrialGivesUpWhenTheStudyStops() throws Exception {
        GpuPool pool = new GpuPool(TWO, null);
        pool.take(2, () -> false, () -> {}).orElseThrow();
        AtomicBoolean stopped = new AtomicBoolean();
        CountDownLatch waiting = new CountDownLatch(1);
        CompletableFuture<Optional<List<Gpu>>> waiter = CompletableFuture.supplyAsync(
                () -> pool.take(1, stopped::get, waiting::countDown));
        assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();

        stopped.set(true);

        assertThat(waiter.get(10, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void zeroGpusNeverWait() {
        assertThat(GpuPool.none().take(0, () -> false, () -> {
            throw new AssertionError("waited");
        })).contains(List.of());
    }

    @Test
    void refusesARunThatAsksForMoreThanTheMachineHasOrTheLimitAllows() {
        assertThat(new GpuPool(TWO, null).refusal(2)).isEmpty();
        assertThat(new GpuPool(TWO, null).refusal(3)).contains("the run asks for 3 GPUs per trial but this machine"
                + " has 2: lower environment.resources.gpus to 2 or fewer, or run on a machine where nvidia-smi"
                + " lists 3 GPUs");
        assertThat(new GpuPool(TWO, 1).refusal(2)).contains("the run asks for 2 GPUs per trial but the installation"
                + " hands out at most 1 GPU (limits.gpus in hone-server.yaml): raise limits.gpus or lower"
                + " environment.resources.gpus");
        assertThat(new GpuPool(new GpuInventory(List.of(), "GPUs: none (no nvidia-smi on the PATH)"), null)
                .refusal(1)).contains("the run asks for 1 GPU per trial but this machine has none (no nvidia-smi on"
                + " the PATH): lower environment.resources.gpus to 0, or run on a machine where nvidia-smi lists"
                + " 1 GPU");
    }

    @Test
    void limitsGpusHandsOutOnlyThatMany() {
        GpuPool pool = new GpuPool(TWO, 1);
        pool.take(1, () -> false, () -> {}).orElseThrow();
        AtomicBoolean stopped = new AtomicBoolean();

        assertThat(pool.take(1, () -> {
            boolean was = stopped.get();
            stopped.set(true);
            return was;
        }, () -> {})).as("the second GPU is not handed out").isEmpty();
    }
}
