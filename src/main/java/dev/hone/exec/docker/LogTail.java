package dev.hone.exec.docker;

import dev.hone.exec.Masks;
import dev.hone.exec.OutputLines;
import dev.hone.spec.ServerSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * Follows the file a trial's output is appended to inside the container: what {@link #poll} finds new goes to
 * {@link OutputLines}, which cuts it into lines and hands each, masked, to the request's log file, its consumer and
 * the tail of the last {@link dev.hone.exec.ProcessResult#TAIL_LINES}. Invalid UTF-8 becomes U+FFFD.
 */
final class LogTail implements AutoCloseable {

    private final FileChannel source;
    private final OutputLines lines;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private final ByteBuffer bytes = ByteBuffer.allocate(16 * 1024);
    private final CharBuffer chars = CharBuffer.allocate(16 * 1024);

    LogTail(Path source, Path logFile, Consumer<String> onLine) throws IOException {
        this(source, logFile, onLine, false, Masks.NONE, ServerSpec.DEFAULT_LOG_SIZE);
    }

    /**
     * @param logFile  null: no log; {@code append}: added to what it holds, else replaced
     * @param masks    the secrets replaced in every line
     * @param logLimit the most the log holds (past it, its beginning and its end)
     */
    LogTail(Path source, Path logFile, Consumer<String> onLine, boolean append, Masks masks, long logLimit)
            throws IOException {
        this.source = FileChannel.open(source, StandardOpenOption.READ);
        this.lines = new OutputLines(logFile == null ? null : OutputLines.openLog(logFile, append, logLimit), onLine,
                masks);
    }

    /** Takes what was appended since the last call; true when there was something. */
    boolean poll() {
        boolean any = false;
        try {
            while (source.read(bytes) > 0) {
                any = true;
                bytes.flip();
                decoder.decode(bytes, chars, false);
                bytes.compact();
                take();
            }
            if (any) {
                lines.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the trial's output: " + e.getMessage(), e);
        }
        return any;
    }

    /** Takes the rest, including an unterminated last line. */
    void finish() {
        poll();
        bytes.flip();
        decoder.decode(bytes, chars, true);
        decoder.flush(chars);
        take();
        lines.end();
    }

    private void take() {
        chars.flip();
        lines.accept(chars);
        chars.clear();
    }

    List<String> tail() {
        return lines.tail();
    }

    @Override
    public void close() {
        try {
            source.close();
        } catch (IOException e) {
            LoggerFactory.getLogger(LogTail.class).warn("cannot close the trial's output", e);
        }
        lines.close();
    }
}
