package dev.hone.supervise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.store.EventRow;
import dev.hone.store.NewRun;
import dev.hone.store.RunQueue;
import dev.hone.store.Store;
import dev.hone.store.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which runs a restarted hone serve takes over from the one before it. */
class RecoveryTest {

    static final String REPO = "https://git.example.com/acme/digits.git";

    @TempDir
    Path data;

    @Test
    void runsLeftRunningOrInterruptedByAGoneProcessAreQueuedAgainAndOthersAreLeftAlone() throws Exception {
        Process alive = new ProcessBuilder("sleep", "60").start();
        try (Store store = Stores.open(data.resolve("hone.db").toString())) {
            long killed = running(store, REPO);
            long stopped = running(store, REPO);
            store.finishRun(stopped, RunQueue.INTERRUPTED, null, Instant.now());
            long stillOwned = running(store, REPO);
            long unwatched = running(store, "/home/ana/digits");
            long finished = running(store, REPO);
            store.finishRun(finished, "target_reached", null, Instant.now());
            Recovery.claim(data.resolve("runs").resolve(Long.toString(killed)));
            owner(stillOwned, alive.pid());
            owner(killed, ProcessHandle.current().pid() + 1_000_000); // no such process

            var resumed = Recovery.requeue(store, data, REPO::equals, InstantSource.system());

            assertThat(resumed).containsExactly(killed, stopped);
            assertThat(store.run(killed).orElseThrow().status()).isEqualTo(RunQueue.QUEUED);
            assertThat(store.run(stopped).orElseThrow().status()).isEqualTo(RunQueue.QUEUED);
            assertThat(store.run(stopped).orElseThrow().finishedAt()).isNull();
            assertThat(store.run(stillOwned).orElseThrow().status()).isEqualTo(RunQueue.RUNNING);
            assertThat(store.run(unwatched).orElseThrow().status()).isEqualTo(RunQueue.RUNNING);
            assertThat(store.run(finished).orElseThrow().status()).isEqualTo("target_reached");
            assertThat(store.events(killed)).extracting(EventRow::message)
                    .containsExactly("hone serve started again: the run continues from its 0 recorded trials");
        } finally {
            alive.destroy();
        }
    }

    private static long running(Store store, String source) {
        long id = store.queue().enqueue(new NewRun("digits", source, "abc123", "main", null, null, null,
                Instant.now()));
        assertThat(store.queue().claim(id)).isTrue();
        return id;
    }

    private void owner(long runId, long pid) throws Exception {
        Path runDir = Files.createDirectories(data.resolve("runs").resolve(Long.toString(runId)));
        String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        Files.writeString(runDir.resolve(Recovery.OWNER), host + ":" + pid + "\n");
    }
}
