package dev.hone.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.data.DataDir;
import dev.hone.run.RunEvent;
import dev.hone.run.RunStatus;
import dev.hone.store.EventRow;
import dev.hone.store.NewRun;
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
    Path tmp;

    @Test
    void runsLeftRunningOrInterruptedByAGoneProcessAreQueuedAgainAndOthersAreLeftAlone() throws Exception {
        Process alive = new ProcessBuilder("sleep", "60").start();
        try (Store store = Stores.open(data().store().toString())) {
            long killed = running(store, REPO);
            long stopped = running(store, REPO);
            store.finishRun(stopped, RunStatus.INTERRUPTED, null, Instant.now());
            long stillOwned = running(store, REPO);
            long unwatched = running(store, "/home/ana/digits");
            long finished = running(store, REPO);
            store.finishRun(finished, RunStatus.TARGET_REACHED, null, Instant.now());
            Recovery.claim(data().run(killed), true);
            owner(stillOwned, alive.pid());
            owner(killed, ProcessHandle.current().pid() + 1_000_000); // no such process

            var resumed = Recovery.requeue(store, data(), REPO::equals, InstantSource.system());

            assertThat(resumed).containsExactly(killed, stopped);
            assertThat(store.run(killed).orElseThrow().status()).isEqualTo(RunStatus.QUEUED);
            assertThat(store.run(stopped).orElseThrow().status()).isEqualTo(RunStatus.QUEUED);
            assertThat(store.run(stopped).orElseThrow().finishedAt()).isNull();
            assertThat(store.run(stillOwned).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
            assertThat(store.run(unwatched).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
            assertThat(store.run(finished).orElseThrow().status()).isEqualTo(RunStatus.TARGET_REACHED);
            assertThat(store.events(killed)).extracting(EventRow::message)
                    .containsExactly("hone serve started again: the run continues from its 0 recorded trials");
        } finally {
            alive.destroy();
        }
    }

    @Test
    void aRunAnotherControllerHoldsByALeaseIsItsUntilTheLeaseExpiresThenItIsTakenOverOnce() throws Exception {
        Instant now = Instant.parse("2026-12-06T10:00:00Z");
        try (Store store = Stores.open(data().store().toString())) {
            long held = store.queue().enqueue(new NewRun("digits", REPO, "abc123", "main", null, null, null, now));
            assertThat(store.queue().claim(held, "other-host:1:abcdef", now.plusSeconds(30))).isTrue();

            assertThat(Recovery.requeue(store, data(), REPO::equals, () -> now.plusSeconds(29)))
                    .as("another host's run, its lease alive: a controller starting now leaves it").isEmpty();
            assertThat(Recovery.takeOver(store, data(), REPO::equals, id -> false, () -> now.plusSeconds(29)))
                    .isEmpty();
            assertThat(Recovery.takeOver(store, data(), REPO::equals, id -> id == held, () -> now.plusSeconds(31)))
                    .as("this controller's own run is not taken from it").isEmpty();
            assertThat(store.run(held).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);

            assertThat(Recovery.takeOver(store, data(), REPO::equals, id -> false, () -> now.plusSeconds(31)))
                    .containsExactly(held);
            assertThat(Recovery.takeOver(store, data(), REPO::equals, id -> false, () -> now.plusSeconds(32)))
                    .isEmpty();
            assertThat(store.run(held).orElseThrow().status()).isEqualTo(RunStatus.QUEUED);
            assertThat(store.events(held)).extracting(EventRow::message).containsExactly("the hone serve that ran it"
                    + " (other-host:1:abcdef) stopped renewing its lease: another took it over; the run continues"
                    + " from its 0 recorded trials");
        }
    }

    @Test
    void runsAHoneRunLeftRunningWhenItDiedAreEndedAndOthersAreLeftAlone() throws Exception {
        Process alive = new ProcessBuilder("sleep", "60").start();
        long gone = ProcessHandle.current().pid() + 1_000_000; // no such process
        try (Store store = Stores.open(data().store().toString())) {
            long abandoned = direct(store);
            long stillOwned = direct(store);
            long serves = running(store, REPO);
            long unclaimed = direct(store);
            owner(abandoned, gone, "direct");
            owner(stillOwned, alive.pid(), "direct");
            owner(serves, gone, "queued");

            var told = Recovery.endAbandoned(store, data(), InstantSource.system(), System.getenv());

            assertThat(told).contains("hone: run " + abandoned
                    + " was left running by a hone run that is gone: recorded interrupted");
            assertThat(store.run(abandoned).orElseThrow().status()).isEqualTo(RunStatus.INTERRUPTED);
            assertThat(store.events(abandoned)).extracting(EventRow::type).containsExactly(RunEvent.Interrupted.TYPE);
            assertThat(store.run(stillOwned).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
            assertThat(store.run(serves).orElseThrow().status()).as("hone serve's to resume")
                    .isEqualTo(RunStatus.RUNNING);
            assertThat(store.run(unclaimed).orElseThrow().status()).as("no owner file: cannot be told dead")
                    .isEqualTo(RunStatus.RUNNING);
            assertThat(Recovery.endAbandoned(store, data(), InstantSource.system(), System.getenv())).isEmpty();
        } finally {
            alive.destroy();
        }
    }

    /** A run as {@code hone run} makes it: running at once, its directory as its source. */
    private static long direct(Store store) {
        return store.createRun(new NewRun("digits", "/home/ana/digits", null, null, null, null, null,
                Instant.now()));
    }

    private static long running(Store store, String source) {
        long id = store.queue().enqueue(new NewRun("digits", source, "abc123", "main", null, null, null,
                Instant.now()));
        assertThat(store.queue().claim(id)).isTrue();
        return id;
    }

    private void owner(long runId, long pid) throws Exception {
        owner(runId, pid, "queued");
    }

    private void owner(long runId, long pid, String how) throws Exception {
        Files.createDirectories(data().run(runId).root());
        String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        Files.writeString(data().run(runId).owner(), host + ":" + pid + "\n" + how + "\n");
    }

    private DataDir data() {
        return new DataDir(tmp);
    }
}
