package dev.hone.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.run.RunStatus;
import dev.hone.store.NewRun;
import dev.hone.store.Store;
import dev.hone.store.Stores;
import dev.hone.testing.Await;
import dev.hone.tune.Trial;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's events are pushed from the store's writes, not found by looking at the store: with the fallback
 * look a day away, an event still reaches an open page at once; a page that does not read keeps a bounded queue.
 */
class PageEventsTest {

    private static final Instant T0 = Instant.parse("2026-12-06T04:00:00Z");
    /** Never within a test: nothing these tests see comes from the fallback look at the store. */
    private static final Duration NO_LOOK = Duration.ofDays(1);

    @TempDir
    Path tmp;
    Store store;
    long run;

    @BeforeEach
    void open() {
        store = Stores.open(tmp.resolve("hone.db").toString());
        run = store.createRun(new NewRun("digits", "/work/digits", "abc123", "main", "Ana", "Try", null, T0));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aTrialEndAndAStatusChangeReachAnOpenPageWithoutAnyLookAtTheStore() throws Exception {
        try (PageEvents events = new PageEvents(store, 10, NO_LOOK, PageEvents.DEFAULT_QUEUED_BYTES);
             PageEvents.Subscription page = events.subscribe(new PageEvents.Scope(null, run));
             PageEvents.Subscription project = events.subscribe(new PageEvents.Scope("digits", null))) {
            store.saveTrial(run, Trial.running(1, Map.of("c", 1)), T0, null);
            assertThat(next(page)).isEqualTo("event: trials\ndata: {\"run\":" + run + ",\"trials\":1,\"best_trial\":null}");

            store.saveTrial(run, Trial.succeeded(1, Map.of("c", 1), 0.8, List.of(), 1000), T0, null);
            store.recordBest(run, 1);
            List<String> frames = List.of(next(page), next(page));
            assertThat(frames).contains("event: trial_end\ndata: {\"run\":" + run + ",\"ended\":1}");

            store.finishRun(run, RunStatus.TARGET_REACHED, 1, T0.plusSeconds(5));
            assertThat(until(page, "event: status")).isEqualTo("event: status\ndata: {\"run\":" + run
                    + ",\"status\":\"target_reached\"}");
            assertThat(until(project, "event: status")).isEqualTo("event: status\ndata: {\"run\":" + run
                    + ",\"status\":\"target_reached\"}");

            long queued = store.queue().enqueue(new NewRun("digits", "/work/digits", "def456", "main", "Ana", "Next",
                    null, T0.plusSeconds(6)));
            assertThat(until(project, "event: run")).isEqualTo("event: run\ndata: {\"run\":" + queued
                    + ",\"status\":\"queued\"}");
        }
    }

    @Test
    void aPageThatDoesNotReadKeepsABoundedQueueAndIsToldToLoadAgain() throws Exception {
        int bound = 400;
        try (PageEvents events = new PageEvents(store, 10, NO_LOOK, bound);
             PageEvents.Subscription slow = events.subscribe(new PageEvents.Scope(null, run))) {
            for (int n = 1; n <= 50; n++) {
                store.saveTrial(run, Trial.succeeded(n, Map.of("c", n), n, List.of(), 1000), T0, null);
                store.recordBest(run, n);
                assertThat(slow.queuedBytes()).isLessThanOrEqualTo(bound);
            }
            Await.until(() -> slow.dropped() > 0, "frames dropped for the page that does not read");
            assertThat(slow.queuedBytes()).isLessThanOrEqualTo(bound);
            List<String> read = new ArrayList<>();
            for (byte[] frame = slow.poll(Duration.ZERO); frame != null; frame = slow.poll(Duration.ZERO)) {
                read.add(text(frame));
            }
            assertThat(read).contains("event: reload\ndata: {\"reason\":\"this page read its events too slowly: "
                    + "some were dropped\"}");
        }
    }

    /** The next frame, within 10 s (a push comes at once; nothing else would bring one). */
    private static String next(PageEvents.Subscription page) throws InterruptedException {
        byte[] frame = page.poll(Duration.ofSeconds(10));
        assertThat(frame).as("a frame pushed to the page").isNotNull();
        return text(frame);
    }

    private static String until(PageEvents.Subscription page, String prefix) throws InterruptedException {
        for (int i = 0; i < 20; i++) {
            String frame = next(page);
            if (frame.startsWith(prefix)) {
                return frame;
            }
        }
        throw new AssertionError("no " + prefix + " frame");
    }

    private static String text(byte[] frame) {
        return new String(frame, StandardCharsets.UTF_8).strip();
    }
}
