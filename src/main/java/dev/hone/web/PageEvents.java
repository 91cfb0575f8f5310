package dev.hone.web;

import dev.hone.store.RunRow;
import dev.hone.store.Store;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What changes under an open dashboard page, as server-sent events, so that the page updates itself without polling:
 * a run queued ({@code run}), a run's status ({@code status}), a trial ended ({@code trial_end}) or started, or a
 * new best ({@code trials}). One thread looks every {@value #TICK_MS} ms at what the open pages show — one query per
 * project or run shown, however many pages show it — and tells the pages what differs from the last look. The store
 * is the source, so a run another Hone sharing the store moves is seen too.
 */
final class PageEvents implements AutoCloseable {

    static final int DEFAULT_MAX_STREAMS = 200;
    private static final long TICK_MS = 500;
    /** The runs of a project (or of all) a page shows live: the newest ones. */
    private static final int NEWEST = 50;
    private static final Logger LOG = LoggerFactory.getLogger(PageEvents.class);

    /** What a page shows: every project's runs ({@code project} and {@code run} null), a project's, or one run. */
    record Scope(String project, Long run) {}

    /** A run as a page sees it; {@code ended}: its trials that have ended. */
    private record Seen(String status, int trials, int ended, Integer best) {}

    /** An open page: what it shows, and the frames waiting to be sent to it (empty frame: the server stops). */
    static final class Subscription implements AutoCloseable {
        final Scope scope;
        final LinkedBlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
        private final PageEvents owner;

        private Subscription(Scope scope, PageEvents owner) {
            this.scope = scope;
            this.owner = owner;
        }

        @Override
        public void close() {
            owner.subscriptions.remove(this);
        }
    }

    static final class TooManyStreams extends Exception {
        TooManyStreams(int max) {
            super("too many live pages are open (at most " + max + " at once): close one or try again later");
        }
    }

    private final Store store;
    private final int maxStreams;
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final Map<Scope, Map<Long, Seen>> last = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("hone-page-events").factory());

    PageEvents(Store store, int maxStreams) {
        this.store = store;
        this.maxStreams = maxStreams;
        ticker.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    /** Opens a page's stream; what it shows now is the baseline its events are changes from. */
    Subscription subscribe(Scope scope) throws TooManyStreams {
        if (subscriptions.size() >= maxStreams) {
            throw new TooManyStreams(maxStreams);
        }
        last.computeIfAbsent(scope, this::look);
        Subscription subscription = new Subscription(scope, this);
        subscriptions.add(subscription);
        return subscription;
    }

    int streams() {
        return subscriptions.size();
    }

    private void tick() {
        try {
            Map<Scope, List<Subscription>> byScope = new HashMap<>();
            subscriptions.forEach(s -> byScope.computeIfAbsent(s.scope, k -> new ArrayList<>()).add(s));
            last.keySet().retainAll(byScope.keySet());
            byScope.forEach((scope, pages) -> {
                Map<Long, Seen> now = look(scope);
                Map<Long, Seen> before = last.put(scope, now);
                for (byte[] frame : changes(before == null ? now : before, now)) {
                    pages.forEach(page -> page.frames.add(frame));
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("event=page_events_failed reason=\"{}\"", e.getMessage());
        }
    }

    private Map<Long, Seen> look(Scope scope) {
        List<RunRow> runs = scope.run() != null ? store.run(scope.run()).stream().toList()
                : store.runs(scope.project(), NEWEST, 0);
        Map<Long, Integer> ended = store.endedTrials(runs.stream().filter(r -> r.status().live() || scope.run() != null)
                .map(RunRow::id).toList());
        Map<Long, Seen> seen = new LinkedHashMap<>();
        for (RunRow r : runs) {
            seen.put(r.id(), new Seen(r.status().label(), r.trialCount(), ended.getOrDefault(r.id(), 0),
                    r.bestTrial()));
        }
        return seen;
    }

    private static List<byte[]> changes(Map<Long, Seen> before, Map<Long, Seen> now) {
        List<byte[]> frames = new ArrayList<>();
        now.forEach((id, seen) -> {
            Seen was = before.get(id);
            if (was == null) {
                frames.add(frame("run", "{\"run\":" + id + ",\"status\":\"" + seen.status() + "\"}"));
                return;
            }
            if (seen.ended() > was.ended()) {
                frames.add(frame("trial_end", "{\"run\":" + id + ",\"ended\":" + seen.ended() + "}"));
            }
            if (seen.trials() != was.trials() || !Objects.equals(seen.best(), was.best())) {
                frames.add(frame("trials", "{\"run\":" + id + ",\"trials\":" + seen.trials() + ",\"best_trial\":"
                        + seen.best() + "}"));
            }
            if (!seen.status().equals(was.status())) {
                frames.add(frame("status", "{\"run\":" + id + ",\"status\":\"" + seen.status() + "\"}"));
            }
        });
        return frames;
    }

    private static byte[] frame(String event, String json) {
        return ("event: " + event + "\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Ends every stream and stops looking. */
    @Override
    public void close() {
        ticker.shutdownNow();
        subscriptions.forEach(s -> s.frames.add(new byte[0]));
    }
}
