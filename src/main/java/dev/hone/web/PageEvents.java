package dev.hone.web;

import dev.hone.store.RunRow;
import dev.hone.store.Store;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What changes under an open dashboard page, as server-sent events, so that the page updates itself without polling:
 * a run queued ({@code run}), a run's status ({@code status}), a trial ended ({@code trial_end}) or started, or a
 * new best ({@code trials}). Pushed: the store tells this process's writes as they commit ({@link Store#watchRuns}),
 * and one thread then looks at the pages showing the runs that changed — one query per project or run shown, however
 * many pages show it — and tells them what differs from its last look. What other processes sharing the store change
 * (other controllers on PostgreSQL, a {@code hone run} on the same SQLite file) is in no such call: for that the same
 * thread looks at every page's runs every {@code fallback} (5 s by default). Each page's frames wait in a
 * {@link PageStream} of bounded size: a page that reads too slowly loses them and is told to load again.
 */
final class PageEvents implements AutoCloseable {

    static final int DEFAULT_MAX_STREAMS = 200;
    static final Duration DEFAULT_FALLBACK = Duration.ofSeconds(5);
    /** The most a page's frames waiting to be sent may take before they are dropped for a {@code reload}. */
    static final int DEFAULT_QUEUED_BYTES = 512 * 1024;
    /** The runs of a project (or of all) a page shows live: the newest ones. */
    private static final int NEWEST = 50;
    private static final Logger LOG = LoggerFactory.getLogger(PageEvents.class);

    /** What a page shows: every project's runs ({@code project} and {@code run} null), a project's, or one run. */
    record Scope(String project, Long run) {}

    /** A run as a page sees it; {@code ended}: its trials that have ended. */
    private record Seen(String project, String status, int trials, int ended, Integer best) {}

    /** An open page: what it shows, and its stream of frames. */
    static final class Subscription extends PageStream {
        final Scope scope;
        private final PageEvents owner;

        private Subscription(Scope scope, PageEvents owner) {
            super(owner.queuedBytes);
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
    private final int queuedBytes;
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final Map<Scope, Map<Long, Seen>> last = new ConcurrentHashMap<>();
    private final Set<Long> changed = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean pushing = new AtomicBoolean();
    private final ScheduledExecutorService looker =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("hone-page-events").factory());
    private final Store.Watch watch;

    PageEvents(Store store, int maxStreams) {
        this(store, maxStreams, DEFAULT_FALLBACK, DEFAULT_QUEUED_BYTES);
    }

    /**
     * @param fallback    how often every page's runs are looked at for what other processes changed
     * @param queuedBytes the most a page's waiting frames may take
     */
    PageEvents(Store store, int maxStreams, Duration fallback, int queuedBytes) {
        this.store = store;
        this.maxStreams = maxStreams;
        this.queuedBytes = queuedBytes;
        long every = fallback.toMillis();
        looker.scheduleWithFixedDelay(this::lookAtAll, every, every, TimeUnit.MILLISECONDS);
        this.watch = store.watchRuns(this::changed);
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

    /** Told by the store on the writing thread: noted, and looked at on this one's own (at most one look pending). */
    private void changed(long runId) {
        if (subscriptions.isEmpty()) {
            return;
        }
        changed.add(runId);
        if (pushing.compareAndSet(false, true)) {
            looker.execute(this::push);
        }
    }

    /** Looks at the pages that show a run that changed. */
    private void push() {
        pushing.set(false);
        Set<Long> runs = new HashSet<>(changed);
        changed.removeAll(runs);
        Set<String> projects = new HashSet<>();
        for (Long run : runs) {
            String project = last.values().stream().map(seen -> seen.get(run)).filter(Objects::nonNull)
                    .map(Seen::project).findFirst().orElseGet(() -> store.run(run).map(RunRow::project).orElse(null));
            projects.add(project);
        }
        lookAt(scope -> scope.run() != null ? runs.contains(scope.run())
                : scope.project() == null || projects.contains(scope.project()));
    }

    private void lookAtAll() {
        lookAt(scope -> true);
    }

    private void lookAt(Predicate<Scope> shown) {
        try {
            Map<Scope, List<Subscription>> byScope = new HashMap<>();
            subscriptions.forEach(s -> byScope.computeIfAbsent(s.scope, k -> new ArrayList<>()).add(s));
            last.keySet().retainAll(byScope.keySet());
            byScope.forEach((scope, pages) -> {
                if (!shown.test(scope)) {
                    return;
                }
                Map<Long, Seen> now = look(scope);
                Map<Long, Seen> before = last.put(scope, now);
                for (byte[] frame : changes(before == null ? now : before, now)) {
                    pages.forEach(page -> page.offer(frame));
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
            seen.put(r.id(), new Seen(r.project(), r.status().label(), r.trialCount(), ended.getOrDefault(r.id(), 0),
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

    static byte[] frame(String event, String json) {
        return ("event: " + event + "\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Ends every stream and stops looking. */
    @Override
    public void close() {
        watch.close();
        looker.shutdownNow();
        subscriptions.forEach(PageStream::end);
    }
}
