package dev.hone.web;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The frames waiting to be sent to one dashboard page, at most {@code maxBytes} of them: what would pass that is not
 * kept — the frames waiting are dropped for one {@code reload} event, and the page, told so, loads again (a browser
 * that reads too slowly costs the server a bounded amount of memory). An empty frame ends the stream.
 */
abstract class PageStream implements AutoCloseable {

    static final byte[] RELOAD = PageEvents.frame("reload",
            "{\"reason\":\"this page read its events too slowly: some were dropped\"}");
    private static final byte[] END = new byte[0];

    private final int maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition waiting = lock.newCondition();
    private final Condition room = lock.newCondition();
    private final ArrayDeque<byte[]> frames = new ArrayDeque<>();
    private long bytes;
    private long dropped;

    PageStream(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Queues {@code frame} without waiting; when there is no room for it, the page is told to load again. */
    final void offer(byte[] frame) {
        lock.lock();
        try {
            if (bytes + frame.length > maxBytes) {
                overflow();
            } else {
                add(frame);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues {@code frame}, waiting up to {@code wait} for room (a log line: its reader goes at the page's pace);
     * past that, as {@link #offer}.
     */
    final void put(byte[] frame, Duration wait) throws InterruptedException {
        lock.lock();
        try {
            long left = wait.toNanos();
            while (bytes > 0 && bytes + frame.length > maxBytes && left > 0) {
                left = room.awaitNanos(left);
            }
            if (bytes + frame.length > maxBytes && bytes > 0) {
                overflow();
            } else {
                add(frame);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Ends the stream once what waits is sent (the server stops). */
    final void end() {
        lock.lock();
        try {
            frames.add(END);
            waiting.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The next frame, waiting up to {@code wait}: null when none came, empty when the stream ends. */
    final byte[] poll(Duration wait) throws InterruptedException {
        lock.lock();
        try {
            long left = wait.toNanos();
            while (frames.isEmpty() && left > 0) {
                left = waiting.awaitNanos(left);
            }
            byte[] frame = frames.poll();
            if (frame != null) {
                bytes -= frame.length;
                room.signalAll();
            }
            return frame;
        } finally {
            lock.unlock();
        }
    }

    /** What waits to be sent now, in bytes. */
    final long queuedBytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    /** Frames dropped so far because the page read too slowly. */
    final long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    private void add(byte[] frame) {
        frames.add(frame);
        bytes += frame.length;
        waiting.signalAll();
    }

    /** No room: what waits is dropped, and the page told to load again (once, until it has read that). */
    private void overflow() {
        boolean told = frames.size() == 1 && frames.peek() == RELOAD;
        dropped += frames.size() - (told ? 1 : 0) + 1;
        frames.clear();
        bytes = 0;
        add(RELOAD);
        room.signalAll();
    }

    /** The stream is done (the page left). */
    @Override
    public abstract void close();
}
