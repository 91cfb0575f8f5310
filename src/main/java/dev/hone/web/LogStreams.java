package dev.hone.web;

import dev.hone.logs.LogFollower;
import dev.hone.run.RunStatus;
import dev.hone.store.RunRow;
import dev.hone.store.Store;
import dev.hone.tune.TrialState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live log streams of {@code hone serve}: one follower per trial log however many clients read it, at most
 * {@code maxStreams} clients at once. The follower puts each line, encoded once, in the log's ring of recent lines;
 * every client reads the ring from where it is, so a client costs no memory of its own, and one that falls further
 * behind than the ring holds is told how many lines it missed and goes on from the oldest kept. One thread looks for
 * new output every {@value #TICK_MS} ms and, once a second, at the status of the runs being followed (one query per
 * run, not per client); when a trial has ended its log's streams get the rest of the output and a {@code trial_end}
 * with the trial's state, and when the run has ended (a trial still running is stopped with it) an {@code end} with
 * the run's status.
 */
final class LogStreams implements AutoCloseable {

    static final int DEFAULT_MAX_STREAMS = 100;
    private static final long TICK_MS = 100;
    private static final int TICKS_PER_STATUS = 10;
    /** The most a log's ring of recent lines holds (and what a follower reads before the end when it starts). */
    private static final int RING_LINES = 16_384;
    private static final int RING_BYTES = 2 * 1024 * 1024;
    /** The most one follower reads in one go, so that one busy log does not hold up the others. */
    private static final long POLL_BYTES = 4 * 1024 * 1024;
    /** The most events one read of a stream returns. */
    private static final int BATCH = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(LogStreams.class);

    /**
     * What a stream sends, as its bytes (encoded once for every client): a line, the trial's end, the run's end, or
     * (nothing to send) the server's shutdown. {@code last}: nothing follows it; {@code ending}: the end in words,
     * as a dashboard page says it (null for a line and the shutdown).
     */
    record Event(byte[] frame, boolean last, String ending) {

        static final Event CLOSED = new Event(new byte[0], true, null);

        static Event line(String text) {
            return new Event(("data: " + text + "\n\n").getBytes(StandardCharsets.UTF_8), false, null);
        }

        static Event end(String status) {
            return new Event(("event: end\ndata: " + status + "\n\n").getBytes(StandardCharsets.UTF_8), true,
                    "The run ended: " + status + ".");
        }

        static Event trialEnd(String state) {
            return new Event(("event: trial_end\ndata: " + state + "\n\n").getBytes(StandardCharsets.UTF_8), true,
                    "The trial ended: " + state + ".");
        }
    }

    /** Thrown when {@code maxStreams} streams are open. */
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
        this(store, maxStreams, true);
    }

    /** {@code ticking} false: nothing looks for new output but calls of {@link #tick()} (a test steps it). */
    LogStreams(Store store, int maxStreams, boolean ticking) {
        this.store = store;
        this.maxStreams = maxStreams;
        this.ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("hone-log-streams").factory());
        if (ticking) {
            ticker.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * A stream of {@code log}, the log of trial {@code trial} of run {@code runId}: first its last {@code backlog}
     * lines (as many as the ring holds), then each line as it is written, then the trial's or the run's end.
     */
    Subscription subscribe(long runId, int trial, Path log, int backlog) throws TooManyStreams, IOException {
        Tail tail;
        synchronized (this) {
            if (open >= maxStreams) {
                throw new TooManyStreams(maxStreams);
            }
            open++;
            tail = tails.computeIfAbsent(log, path -> new Tail(runId, trial, path));
            tail.users++;
        }
        try {
            return new Subscription(tail, tail.start(backlog));
        } catch (IOException | RuntimeException e) {
            left(tail);
            throw e;
        }
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
            tail.finish(Event.CLOSED);
            tail.closeFollower();
        }
    }

    /**
     * Reads what the followed logs have new; once in {@value #TICKS_PER_STATUS} ticks, ends the logs of the trials
     * and runs that have ended.
     */
    void tick() {
        try {
            List<Tail> all;
            synchronized (this) {
                all = new ArrayList<>(tails.values());
            }
            Map<Tail, Event> ended = ++ticks % TICKS_PER_STATUS == 0 ? ended(all) : Map.of();
            boolean busy = true;
            while (busy && !ticker.isShutdown()) {
                busy = false;
                for (Tail tail : all) {
                    busy |= tail.poll(POLL_BYTES) == POLL_BYTES;
                }
            }
            for (Tail tail : all) {
                Event end = ended.get(tail);
                if (end != null) {
                    tail.poll(Long.MAX_VALUE);
                    tail.finish(end);
                }
                forget(tail, end != null);
            }
        } catch (RuntimeException e) {
            LOG.warn("event=log_stream_error reason=\"{}\"", e.toString(), e);
        }
    }

    /**
     * The logs among {@code all} whose trial or run has ended, with the end their streams get: the run's status
     * when the run is no longer queued or running, else the trial's state when it has finished (one query for the
     * run and one for its trials, however many logs of it are followed).
     */
    private Map<Tail, Event> ended(List<Tail> all) {
        Map<Long, List<Tail>> byRun = new HashMap<>();
        all.forEach(t -> byRun.computeIfAbsent(t.runId, run -> new ArrayList<>()).add(t));
        Map<Tail, Event> ended = new HashMap<>();
        byRun.forEach((runId, tails) -> {
            Optional<RunStatus> status = store.run(runId).map(RunRow::status);
            if (status.map(s -> !s.live()).orElse(true)) {
                Event end = Event.end(status.map(RunStatus::label).orElse("unknown"));
                tails.forEach(t -> ended.put(t, end));
                return;
            }
            Map<Integer, TrialState> states = new HashMap<>();
            store.trials(runId).forEach(row -> states.put(row.trial().number(), row.trial().state()));
            for (Tail tail : tails) {
                TrialState state = states.get(tail.trial);
                if (state != null && state.finished()) {
                    ended.put(tail, Event.trialEnd(state.label()));
                }
            }
        });
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

    /** One log followed, and its ring of recent lines: line number {@code n} is at {@code ring[n % length]}. */
    private static final class Tail {

        final long runId;
        final int trial;
        final Path log;
        /** Streams reading this tail, guarded by {@link LogStreams}'s lock. */
        int users;
        private final LogFollower follower;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private final Event[] ring = new Event[RING_LINES];
        /** The number of the oldest line the ring holds, and of the next line. */
        private long oldest;
        private long next;
        private long ringBytes;
        private boolean started;
        /** The event every stream gets last, once the trial or the run has ended or the server stops. */
        private Event last;
        private boolean broken;

        Tail(long runId, int trial, Path log) {
            this.runId = runId;
            this.trial = trial;
            this.log = log;
            this.follower = new LogFollower(log, RING_BYTES, this::deliver);
        }

        /** Where a new stream starts: {@code backlog} lines back, as far as the ring goes. */
        long start(int backlog) throws IOException {
            lock.lock();
            try {
                if (!started && last == null) {
                    started = true;
                    follower.poll();
                }
                return Math.max(oldest, next - backlog);
            } finally {
                lock.unlock();
            }
        }

        /** Reads what is new, {@code budget} bytes at most; returns how much it read. */
        long poll(long budget) {
            lock.lock();
            try {
                long read = last == null ? follower.poll(budget) : 0;
                if (read > 0) {
                    changed.signalAll();
                }
                return read;
            } catch (IOException e) {
                if (!broken) {
                    broken = true;
                    LOG.warn("event=log_unreadable path={} reason=\"{}\"", log, e.getMessage());
                }
                return 0;
            } finally {
                lock.unlock();
            }
        }

        /** No more lines: {@code event} ends every stream once it has sent what the ring holds. */
        void finish(Event event) {
            lock.lock();
            try {
                if (last == null) {
                    follower.end();
                    last = event;
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }

        /**
         * The events for a stream at line {@code from}, waiting up to {@code wait} for one: a notice first when the
         * lines it was at have left the ring. Empty when none came.
         */
        List<Event> read(long from, Duration wait, long[] cursor) throws InterruptedException {
            lock.lock();
            try {
                long deadline = System.nanoTime() + wait.toNanos();
                while (from >= next && last == null) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return List.of();
                    }
                    changed.awaitNanos(left);
                }
                List<Event> events = new ArrayList<>();
                if (from < oldest) {
                    events.add(Event.line("--- hone: " + (oldest - from) + " lines not sent here: this connection "
                            + "read them too slowly ---"));
                    from = oldest;
                }
                for (; from < next && events.size() < BATCH; from++) {
                    events.add(ring[(int) (from % RING_LINES)]);
                }
                if (from == next && last != null) {
                    events.add(last);
                }
                cursor[0] = from;
                return events;
            } finally {
                lock.unlock();
            }
        }

        void closeFollower() {
            lock.lock();
            try {
                follower.close();
            } catch (IOException e) {
                // only reading: nothing is lost
            } finally {
                lock.unlock();
            }
        }

        /** A line read by the follower (under the lock): into the ring, the oldest out when it is full. */
        private void deliver(String text) {
            Event line = Event.line(text);
            while (next - oldest == RING_LINES || next > oldest && ringBytes + line.frame().length > RING_BYTES) {
                ringBytes -= ring[(int) (oldest % RING_LINES)].frame().length;
                ring[(int) (oldest++ % RING_LINES)] = null;
            }
            ring[(int) (next++ % RING_LINES)] = line;
            ringBytes += line.frame().length;
        }
    }

    /** One client's stream; {@link #close()} when it is done (the client left, the run ended). */
    final class Subscription implements AutoCloseable {

        private final Tail tail;
        private final long[] at;
        private boolean closed;

        private Subscription(Tail tail, long from) {
            this.tail = tail;
            this.at = new long[] {from};
        }

        /** The next events, waiting up to {@code wait} for one; empty when none came. */
        List<Event> next(Duration wait) throws InterruptedException {
            return tail.read(at[0], wait, at);
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                left(tail);
            }
        }
    }
}
