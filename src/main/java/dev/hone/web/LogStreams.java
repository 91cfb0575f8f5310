package dev.hone.web;

import dev.hone.logs.LogFollower;
import dev.hone.run.RunStatus;
import dev.hone.store.RunRow;
import dev.hone.store.Store;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live log streams of {@code hone serve}: one follower per trial log however many clients read it, its lines
 * fanned out to their subscriptions, at most {@code maxStreams} subscriptions at once. One thread looks for new
 * output every {@value #TICK_MS} ms and, once a second, at the status of the runs being followed (one query per run,
 * not per client); when a run has ended its streams get the rest of the output and an end. A subscription that reads
 * too slowly loses lines (and is told how many) rather than holding up the others or growing without bound.
 */
final class LogStreams implements AutoCloseable {

    static final int DEFAULT_MAX_STREAMS = 100;
    private static final long TICK_MS = 100;
    private static final int TICKS_PER_STATUS = 10;
    /** What a follower reads of the log before the end when it starts, and the most its recent lines hold. */
    private static final int RECENT_CHARS = 512 * 1024;
    private static final int RECENT_LINES = 10_000;
    /** The most a subscription holds unread before it loses lines. */
    private static final int QUEUED_CHARS = 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(LogStreams.class);

    /** What a subscription receives: a line ({@code name} null), the run's end, or the server's shutdown. */
    record Event(String name, String data) {

        static final Event CLOSED = new Event("closed", "");

        static Event line(String text) {
            return new Event(null, text);
        }
    }

    /** Thrown when {@code maxStreams} subscriptions are open. */
    static final class TooManyStreams extends Exception {
        TooManyStreams(int max) {
            super("too many live log streams are open (at most " + max + " at once): close one or try again "
                    + "later; an ended run's log is read as text (with tail=N or a Range)");
        }
    }

    private final Store store;
    private final int maxStreams;
    private final ScheduledExecutorService ticker;
    private final Map<Path, Tail> tails = new HashMap<>();
    private int open;
    private long ticks;

    LogStreams(Store store, int maxStreams) {
        this.store = store;
        this.maxStreams = maxStreams;
        this.ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("hone-log-streams").factory());
        ticker.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * A stream of {@code log}, a trial's log of run {@code runId}: first its last {@code backlog} lines (as many as
     * are at hand, up to {@value #RECENT_LINES}), then each line as it is written, then the run's end.
     */
    Subscription subscribe(long runId, Path log, int backlog) throws TooManyStreams, IOException {
        Tail tail;
        synchronized (this) {
            if (open >= maxStreams) {
                throw new TooManyStreams(maxStreams);
            }
            open++;
            tail = tails.computeIfAbsent(log, path -> new Tail(runId, path));
            tail.users++;
        }
        Subscription subscription = new Subscription(tail);
        try {
            tail.add(subscription, backlog);
        } catch (IOException | RuntimeException e) {
            subscription.close();
            throw e;
        }
        return subscription;
    }

    /** Streams open now. */
    synchronized int streams() {
        return open;
    }

    /** Logs followed now. */
    synchronized int followed() {
        return tails.size();
    }

    /** Ends every stream without an end event: the server stops. */
    @Override
    public void close() {
        ticker.shutdownNow();
        List<Tail> all;
        synchronized (this) {
            all = new ArrayList<>(tails.values());
        }
        for (Tail tail : all) {
            tail.closeAll();
        }
    }

    private void tick() {
        try {
            List<Tail> all;
            synchronized (this) {
                all = new ArrayList<>(tails.values());
            }
            Map<Long, String> ended = ++ticks % TICKS_PER_STATUS == 0 ? endedRuns(all) : Map.of();
            for (Tail tail : all) {
                tail.poll();
                String status = ended.get(tail.runId);
                if (status != null) {
                    tail.end(status);
                    forget(tail, true);
                } else {
                    forget(tail, false);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("event=log_stream_error reason=\"{}\"", e.toString(), e);
        }
    }

    /** The runs among {@code all}'s that are no longer queued or running, with their status. */
    private Map<Long, String> endedRuns(List<Tail> all) {
        Set<Long> runs = new HashSet<>();
        all.forEach(t -> runs.add(t.runId));
        Map<Long, String> ended = new HashMap<>();
        for (long runId : runs) {
            Optional<RunStatus> status = store.run(runId).map(RunRow::status);
            if (status.map(s -> !s.live()).orElse(true)) {
                ended.put(runId, status.map(RunStatus::label).orElse("unknown"));
            }
        }
        return ended;
    }

    /** Stops following {@code tail} once nobody reads it (or always, when {@code ended}). */
    private void forget(Tail tail, boolean ended) {
        synchronized (this) {
            if (!ended && tail.users > 0 || tails.get(tail.log) != tail) {
                return;
            }
            tails.remove(tail.log);
        }
        tail.closeFollower();
    }

    private synchronized void left(Tail tail) {
        open--;
        tail.users--;
    }

    /** One log followed: its recent lines and its subscriptions. */
    private static final class Tail {

        final long runId;
        final Path log;
        /** Subscriptions holding this tail, guarded by {@link LogStreams}'s lock. */
        int users;
        private final LogFollower follower;
        private final ArrayDeque<String> recent = new ArrayDeque<>();
        private final List<Subscription> subscriptions = new ArrayList<>();
        private int recentChars;
        private boolean started;
        /** The event every subscription gets last, once the run has ended or the server stops. */
        private Event last;
        private boolean broken;

        Tail(long runId, Path log) {
            this.runId = runId;
            this.log = log;
            this.follower = new LogFollower(log, RECENT_CHARS, this::deliver);
        }

        synchronized void add(Subscription subscription, int backlog) throws IOException {
            if (!started && last == null) {
                started = true;
                follower.poll();
            }
            int skip = Math.max(0, recent.size() - backlog);
            for (String line : recent) {
                if (skip-- <= 0) {
                    subscription.offer(Event.line(line));
                }
            }
            if (last != null) {
                subscription.offer(last);
            }
            subscriptions.add(subscription);
        }

        synchronized void poll() {
            try {
                follower.poll();
            } catch (IOException e) {
                if (!broken) {
                    broken = true;
                    LOG.warn("event=log_unreadable path={} reason=\"{}\"", log, e.getMessage());
                }
            }
        }

        synchronized void end(String status) {
            follower.end();
            finish(new Event("end", status));
        }

        synchronized void closeAll() {
            finish(Event.CLOSED);
            closeFollower();
        }

        private void finish(Event event) {
            last = event;
            subscriptions.forEach(s -> s.offer(event));
        }

        synchronized void remove(Subscription subscription) {
            subscriptions.remove(subscription);
        }

        synchronized void closeFollower() {
            try {
                follower.close();
            } catch (IOException e) {
                // only reading: nothing is lost
            }
        }

        private void deliver(String line) {
            recent.addLast(line);
            recentChars += line.length();
            while (recent.size() > RECENT_LINES || recentChars > RECENT_CHARS && recent.size() > 1) {
                recentChars -= recent.removeFirst().length();
            }
            for (Subscription s : subscriptions) {
                s.offer(Event.line(line));
            }
        }
    }

    /** One client's stream; {@link #close()} when it is done (the client left, the run ended). */
    final class Subscription implements AutoCloseable {

        private final Tail tail;
        private final LinkedBlockingQueue<Event> queue = new LinkedBlockingQueue<>();
        private int queuedChars;
        private long lost;
        private boolean closed;

        private Subscription(Tail tail) {
            this.tail = tail;
        }

        /** The next event, waiting up to {@code wait}; null when none came. */
        Event next(Duration wait) throws InterruptedException {
            Event event = queue.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
            taken(event);
            return event;
        }

        /** The events already waiting, at most {@code max}, without waiting. */
        List<Event> more(int max) {
            List<Event> events = new ArrayList<>();
            queue.drainTo(events, max);
            events.forEach(this::taken);
            return events;
        }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            tail.remove(this);
            left(tail);
        }

        private synchronized void offer(Event event) {
            if (event.name() == null) {
                if (queuedChars + event.data().length() > QUEUED_CHARS) {
                    lost++;
                    return;
                }
                if (lost > 0) {
                    queue.add(Event.line("--- hone: " + lost + " lines not sent here: this connection read them "
                            + "too slowly ---"));
                    lost = 0;
                }
                queuedChars += event.data().length();
            }
            queue.add(event);
        }

        private synchronized void taken(Event event) {
            if (event != null && event.name() == null) {
                queuedChars -= event.data().length();
            }
        }
    }
}
