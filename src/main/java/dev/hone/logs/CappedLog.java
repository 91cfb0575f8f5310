package dev.hone.logs;

import dev.hone.spec.ServerSpec;
import dev.hone.spec.Units;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A log file that never grows past its limit ({@code limits.log_size}): it keeps its head and its tail, with a marker
 * line between them that says how many bytes were cut.
 *
 * <p>How, without holding the tail in memory: the first half of the limit goes to the file as it comes. Past it, the
 * output goes to segment files beside it ({@code train.log.part-HEAD-OFFSET}: where the head ended, and where the
 * segment would start in the file had nothing been cut), of which the last few are kept — enough to hold the tail.
 * {@link #close()} appends the marker and the tail to the file and deletes the segments. Every file only ever grows,
 * so a reader never sees bytes change under it; {@link LogFollower} follows the segments while the command runs.
 */
public final class CappedLog extends OutputStream {

    static final String SEGMENT_INFIX = ".part-";
    /** The marker's line: {@code --- hone: N bytes of output cut here (…) ---}. */
    static final Pattern MARKER = Pattern.compile("--- hone: ([0-9]+) bytes of output cut here \\(.*\\) ---");
    private static final Pattern SEGMENT_NAME = Pattern.compile("([0-9]{1,18})-([0-9]{1,18})");
    private static final int MARKER_ROOM = 256;
    private static final int KEPT_SEGMENTS = 5;

    private final Path file;
    private final long limit;
    private final FileChannel main;
    /** The file's size when the cut starts: what it held before, at least half the limit. */
    private final long headEnd;
    private final long tailSize;
    private final long segmentSize;
    private final ArrayDeque<Segment> segments = new ArrayDeque<>();
    private long mainSize;
    private byte lastMainByte = '\n';
    private FileChannel segment;
    private long written;
    private boolean closed;

    private static final class Segment {
        final Path path;
        final long start;
        long length;

        Segment(Path path, long start) {
            this.path = path;
            this.start = start;
        }
    }

    /**
     * @param append after what the file holds (which then counts as head), else the file is replaced
     * @param limit  the most the file holds, at least {@link ServerSpec#MIN_LOG_SIZE}
     */
    public CappedLog(Path file, boolean append, long limit) throws IOException {
        if (limit < ServerSpec.MIN_LOG_SIZE) {
            throw new IllegalArgumentException("a log's limit must be at least "
                    + Units.formatSize(ServerSpec.MIN_LOG_SIZE) + ", got " + limit);
        }
        this.file = file;
        this.limit = limit;
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        for (SegmentFile leftover : segmentsOf(file)) {
            Files.deleteIfExists(leftover.path());
        }
        this.main = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
        this.mainSize = main.size();
        if (mainSize > 0) {
            try (FileChannel held = FileChannel.open(file, StandardOpenOption.READ)) {
                ByteBuffer last = ByteBuffer.allocate(1);
                held.read(last, mainSize - 1);
                lastMainByte = last.get(0);
            }
        }
        this.headEnd = Math.max(mainSize, limit / 2);
        this.tailSize = limit - limit / 2 - MARKER_ROOM;
        this.segmentSize = (tailSize + KEPT_SEGMENTS - 2) / (KEPT_SEGMENTS - 1);
        this.written = headEnd;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (closed) {
            throw new IOException("the log " + file + " is closed");
        }
        while (length > 0) {
            int n;
            if (mainSize < headEnd) {
                n = (int) Math.min(length, headEnd - mainSize);
                writeFully(main, ByteBuffer.wrap(bytes, offset, n));
                mainSize += n;
                lastMainByte = bytes[offset + n - 1];
            } else {
                if (segment == null || segments.getLast().length == segmentSize) {
                    nextSegment();
                }
                Segment current = segments.getLast();
                n = (int) Math.min(length, segmentSize - current.length);
                writeFully(segment, ByteBuffer.wrap(bytes, offset, n));
                current.length += n;
                written += n;
            }
            offset += n;
            length -= n;
        }
    }

    /** Appends the marker and the tail when the output passed the head, deletes the segments, closes the file. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (main) {
            if (segment != null) {
                segment.close();
                appendTail();
            }
        } finally {
            for (Segment s : segments) {
                Files.deleteIfExists(s.path);
            }
        }
    }

    /**
     * A segment file: {@code headEnd} is where the file's head ended when the output it holds was written (the file's
     * size then), {@code start} where its bytes would start in the file had nothing been cut.
     */
    record SegmentFile(Path path, long headEnd, long start) {}

    /** The segment files beside {@code file}, in the order they were written. */
    static List<SegmentFile> segmentsOf(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        List<SegmentFile> found = new ArrayList<>();
        if (dir == null || !Files.isDirectory(dir)) {
            return found;
        }
        String prefix = file.getFileName() + SEGMENT_INFIX;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, prefix + "*")) {
            for (Path p : entries) {
                Matcher m = SEGMENT_NAME.matcher(p.getFileName().toString().substring(prefix.length()));
                if (m.matches()) {
                    found.add(new SegmentFile(p, Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
                }
            }
        }
        found.sort(Comparator.comparingLong(SegmentFile::headEnd).thenComparingLong(SegmentFile::start));
        return found;
    }

    /** The marker line for {@code cut} bytes, its line ending included. */
    private String marker(long cut) {
        return "--- hone: " + cut + " bytes of output cut here (limits.log_size is " + Units.formatSize(limit)
                + ": a log keeps its beginning and its end) ---\n";
    }

    private void nextSegment() throws IOException {
        if (segment != null) {
            segment.close();
        }
        Path path = file.resolveSibling(file.getFileName() + SEGMENT_INFIX + headEnd + "-" + written);
        Segment next = new Segment(path, written);
        segment = FileChannel.open(next.path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        segments.addLast(next);
        while (segments.size() > KEPT_SEGMENTS) {
            Files.deleteIfExists(segments.removeFirst().path);
        }
    }

    /**
     * The segments when they fit whole; else the marker and their last {@code tailSize} bytes, from the first line
     * that starts in them.
     */
    private void appendTail() throws IOException {
        long tailStart = headEnd;
        if (written - headEnd > tailSize) {
            tailStart = lineStart(Math.max(segments.getFirst().start, written - tailSize));
            String marker = (endsLine(lastMainByte) ? "" : "\n") + marker(tailStart - headEnd);
            writeFully(main, ByteBuffer.wrap(marker.getBytes(StandardCharsets.UTF_8)));
        }
        for (Segment s : segments) {
            long from = Math.max(tailStart, s.start);
            if (from >= s.start + s.length) {
                continue;
            }
            try (FileChannel in = FileChannel.open(s.path, StandardOpenOption.READ)) {
                long position = from - s.start;
                while (position < s.length) {
                    long copied = in.transferTo(position, s.length - position, main);
                    if (copied <= 0) {
                        throw new IOException("could not copy the end of the log into " + file);
                    }
                    position += copied;
                }
            }
        }
    }

    /**
     * {@code from} when a line starts there, else where the next line starts (a line cut in two is not kept in half);
     * {@code from} again when no line starts before the end.
     */
    private long lineStart(long from) throws IOException {
        if (from == headEnd && endsLine(lastMainByte)) {
            return from;
        }
        long at = Math.max(from - 1, segments.getFirst().start);
        boolean afterCarriageReturn = false;
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        for (Segment s : segments) {
            if (at >= s.start + s.length) {
                continue;
            }
            try (FileChannel in = FileChannel.open(s.path, StandardOpenOption.READ)) {
                while (at < s.start + s.length) {
                    buffer.clear();
                    int read = in.read(buffer, at - s.start);
                    if (read <= 0) {
                        break;
                    }
                    for (int i = 0; i < read; i++, at++) {
                        byte b = buffer.get(i);
                        long start = afterCarriageReturn ? (b == '\n' ? at + 1 : at) : b == '\n' ? at + 1 : -1;
                        if (start >= from) {
                            return start < written ? start : from;
                        }
                        afterCarriageReturn = b == '\r';
                    }
                }
            }
        }
        return from;
    }

    private static boolean endsLine(byte b) {
        return b == '\n' || b == '\r';
    }

    private static void writeFully(FileChannel channel, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }
}
