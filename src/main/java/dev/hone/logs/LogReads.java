package dev.hone.logs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Parts of a log file read straight to where they go: a byte range, the last lines. Memory stays one buffer. */
public final class LogReads {

    private static final int BUFFER = 64 * 1024;

    private LogReads() {}

    /**
     * Where the last {@code lines} lines of {@code file} start (0 when it has no more). A line ends at {@code \n},
     * {@code \r\n} or a lone {@code \r}; an unterminated last line counts.
     */
    public static long lastLinesStart(Path file, int lines) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
            int found = 0;
            int after = -1;
            long end = size;
            while (end > 0) {
                long start = Math.max(0, end - BUFFER);
                buffer.clear().limit((int) (end - start));
                while (buffer.hasRemaining() && in.read(buffer, start + buffer.position()) > 0) {
                    // reads the chunk whole
                }
                for (int i = buffer.position() - 1; i >= 0; i--) {
                    byte b = buffer.get(i);
                    long at = start + i;
                    boolean ending = b == '\n' || b == '\r' && after != '\n';
                    after = b;
                    if (ending && at < size - 1 && ++found == lines) {
                        return at + 1;
                    }
                }
                end = start;
            }
            return 0;
        }
    }

    /** Copies {@code length} bytes of {@code file} from {@code from} to {@code out}; fewer when the file is shorter. */
    public static void copy(Path file, long from, long length, OutputStream out) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
            long position = from;
            long left = length;
            while (left > 0) {
                buffer.clear().limit((int) Math.min(BUFFER, left));
                int read = in.read(buffer, position);
                if (read <= 0) {
                    return;
                }
                out.write(buffer.array(), 0, read);
                position += read;
                left -= read;
            }
        }
    }
}
