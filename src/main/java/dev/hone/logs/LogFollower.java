package dev.hone.logs;

import dev.hone.logs.CappedLog.SegmentFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;

/**
 * Follows a {@link CappedLog} as it is written, line by line ({@link LineCutter}): the file's head, then the segments
 * past it one after the other, then, once the log is closed, what the file holds after its marker that was not read
 * from a segment yet. A follower that fell behind while segments were deleted goes on at the oldest one left, with a
 * line that says how much it skipped. Not thread-safe: one thread polls.
 */
public final class LogFollower implements AutoCloseable {

    /** Moves from file to file in one poll at most (segments left by a writer that died are not looped over). */
    private static final int MAX_MOVES = 16;

    private final Path file;
    private final long backlog;
    private final LineCutter lines;
    private final Consumer<String> consumer;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private FileChannel channel;
    /** Where the current file's bytes start in the log had nothing been cut: 0 for the file itself. */
    private long currentStart;
    /** The head's end of the segments being read; -1 while reading the file itself. */
    private long segmentsHeadEnd = -1;
    private long position;
    /** What the current poll may still read. */
    private long left;

    /**
     * @param backlog how many bytes before the end reading starts (from the start of a line); {@link Long#MAX_VALUE}:
     *                from the beginning
     * @param lines   told of each line
     */
    public LogFollower(Path file, long backlog, Consumer<String> lines) {
        this.file = file;
        this.backlog = backlog;
        this.consumer = lines;
        this.lines = new LineCutter(lines);
    }

    /** Reads what was written since the last call; true when there was something. */
    public boolean poll() throws IOException {
        return poll(Long.MAX_VALUE) > 0;
    }

    /** Reads what was written since the last call, {@code budget} bytes at most; returns how many it read. */
    public long poll(long budget) throws IOException {
        if (channel == null && !open()) {
            return 0;
        }
        left = budget;
        drain();
        for (int moves = 0; moves < MAX_MOVES && left > 0; moves++) {
            Next next = segmentsHeadEnd < 0 ? afterFile() : afterSegment();
            if (next == null) {
                break;
            }
            drain();
            if (left > 0) {
                moveTo(next);
                drain();
            }
        }
        return budget - left;
    }

    /** The output ended: an unfinished last line is a line. */
    public void end() {
        lines.end();
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }

    /** Where to read next: {@code segment} null for the file itself. */
    private record Next(SegmentFile segment, long position, long skipped) {}

    /**
     * Opens where the backlog starts: {@code backlog} bytes before the end, in the segments while the log is past its
     * head and the backlog starts in them, else in the file; from the next line's start unless a line starts there.
     */
    private boolean open() throws IOException {
        FileChannel head = openQuietly(file);
        if (head == null) {
            return false;
        }
        channel = head;
        long size = head.size();
        List<SegmentFile> round = CappedLog.segmentsOf(file).stream().filter(s -> s.headEnd() == size).toList();
        long end = size;
        FileChannel newest = round.isEmpty() ? null : openQuietly(round.getLast().path());
        if (newest != null) {
            end = round.getLast().start() + newest.size();
            newest.close();
        }
        long from = backlog >= end ? 0 : end - backlog;
        if (from >= size && newest != null) {
            SegmentFile start = round.reversed().stream().filter(s -> s.start() <= from).findFirst()
                    .orElse(round.getFirst());
            FileChannel opened = openQuietly(start.path());
            if (opened != null) {
                channel.close();
                channel = opened;
                segmentsHeadEnd = start.headEnd();
                currentStart = start.start();
            }
        }
        position = Math.max(0, from - currentStart);
        if (from > 0 && !afterLineEnd()) {
            lines.skipToNextLine();
        }
        return true;
    }

    /** True when the byte before {@link #position} in the current file ends a line. */
    private boolean afterLineEnd() throws IOException {
        if (position == 0) {
            return false;
        }
        ByteBuffer previous = ByteBuffer.allocate(1);
        return channel.read(previous, position - 1) == 1 && (previous.get(0) == '\n' || previous.get(0) == '\r');
    }

    /** Reads the current file to its end, or until the poll's budget is spent. */
    private void drain() throws IOException {
        while (left > 0) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), left));
            int read = channel.read(buffer, position);
            if (read <= 0) {
                return;
            }
            left -= read;
            position += read;
            buffer.flip();
            lines.accept(buffer);
        }
    }

    /** The first segment once the file's head is complete (the file's end is where the segments' head ended). */
    private Next afterFile() throws IOException {
        for (SegmentFile s : CappedLog.segmentsOf(file)) {
            if (s.headEnd() == position) {
                return new Next(s, 0, s.start() - position);
            }
        }
        return null;
    }

    /** The next segment; else, once the log is closed, the file past its marker; else nothing yet. */
    private Next afterSegment() throws IOException {
        long at = currentStart + position;
        for (SegmentFile s : CappedLog.segmentsOf(file)) {
            if (s.headEnd() == segmentsHeadEnd && s.start() > currentStart) {
                return new Next(s, 0, Math.max(0, s.start() - at));
            }
        }
        try (FileChannel head = FileChannel.open(file, StandardOpenOption.READ)) {
            if (head.size() <= segmentsHeadEnd) {
                return null;
            }
            ByteBuffer start = ByteBuffer.allocate(512);
            head.read(start, segmentsHeadEnd);
            String text = new String(start.array(), 0, start.position(), StandardCharsets.ISO_8859_1);
            int lineStart = text.startsWith("\n") ? 1 : 0;
            int lineEnd = text.indexOf('\n', lineStart);
            if (!text.startsWith("--- hone: ", lineStart)) {
                return new Next(null, at, 0); // nothing was cut: the file holds the segments as they were
            }
            if (lineEnd < 0) {
                return null; // the marker is being written
            }
            Matcher marker = CappedLog.MARKER.matcher(text.substring(lineStart, lineEnd));
            if (!marker.matches()) {
                return new Next(null, at, 0);
            }
            long tailStart = segmentsHeadEnd + Long.parseLong(marker.group(1));
            long afterMarker = segmentsHeadEnd + lineEnd + 1;
            return at >= tailStart ? new Next(null, afterMarker + at - tailStart, 0)
                    : new Next(null, afterMarker, tailStart - at);
        }
    }

    private void moveTo(Next next) throws IOException {
        FileChannel opened = openQuietly(next.segment() == null ? file : next.segment().path());
        if (opened == null) {
            return; // deleted meanwhile: the next poll looks again
        }
        channel.close();
        channel = opened;
        if (next.skipped() > 0) {
            lines.end();
            consumer.accept("--- hone: " + next.skipped() + " bytes skipped here: the log keeps only its beginning "
                    + "and its end (limits.log_size), and this reader fell behind ---");
            if (next.segment() != null) {
                lines.skipToNextLine(); // a segment starts anywhere in a line; the end kept after the marker does not
            }
        }
        if (next.segment() == null) {
            segmentsHeadEnd = -1;
            currentStart = 0;
        } else {
            segmentsHeadEnd = next.segment().headEnd();
            currentStart = next.segment().start();
        }
        position = next.position();
    }

    private static FileChannel openQuietly(Path path) throws IOException {
        try {
            return FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
