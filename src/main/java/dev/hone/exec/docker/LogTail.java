package dev.hone.exec.docker;

import dev.hone.exec.Masks;
import dev.hone.exec.ProcessResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the file a trial's output is appended to inside the container: what {@link #poll} finds new is cut into
 * lines (a line ends at \n, \r\n or a lone \r; longer than {@value #MAX_LINE} characters it is cut), each masked
 * ({@link Masks}) and then written to the request's log file with its own ending (an unterminated last line without
 * one), given to the request's consumer, and kept among the last {@link ProcessResult#TAIL_LINES}. A line reaches the
 * log only once it has ended (or was cut), so a secret that arrives in two reads is still masked whole. Invalid
 * UTF-8 becomes U+FFFD.
 */
final class LogTail implements AutoCloseable {

    static final int MAX_LINE = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(LogTail.class);

    private final FileChannel source;
    private final Writer log;
    private final Consumer<String> onLine;
    private final Masks masks;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private final ByteBuffer bytes = ByteBuffer.allocate(16 * 1024);
    private final CharBuffer chars = CharBuffer.allocate(16 * 1024);
    private final StringBuilder line = new StringBuilder();
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private boolean afterCarriageReturn;
    private boolean logBroken;
    private boolean consumerBroken;

    LogTail(Path source, Path logFile, Consumer<String> onLine) throws IOException {
        this(source, logFile, onLine, false, Masks.NONE);
    }

    /**
     * @param logFile null: no log; {@code append}: added to what it holds, else replaced
     * @param masks   the secrets replaced in every line
     */
    LogTail(Path source, Path logFile, Consumer<String> onLine, boolean append, Masks masks) throws IOException {
        this.source = FileChannel.open(source, StandardOpenOption.READ);
        this.onLine = onLine == null ? l -> {} : onLine;
        this.masks = masks;
        if (logFile == null) {
            this.log = null;
        } else {
            Path parent = logFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            this.log = append ? Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND) : Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
        }
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
                flushLog();
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
        if (!line.isEmpty()) {
            emit("");
        }
        flushLog();
    }

    private void take() {
        chars.flip();
        while (chars.hasRemaining()) {
            char c = chars.get();
            if (afterCarriageReturn) {
                afterCarriageReturn = false;
                if (c == '\n') {
                    writeLog("\n");
                    continue;
                }
            }
            if (c == '\n' || c == '\r') {
                emit(String.valueOf(c));
                afterCarriageReturn = c == '\r';
            } else {
                line.append(c);
                if (line.length() >= MAX_LINE) {
                    emit("");
                }
            }
        }
        chars.clear();
    }

    /** The line read so far, masked, to the log (followed by {@code ending}), the tail and the consumer. */
    private void emit(String ending) {
        String text = masks.apply(line.toString());
        line.setLength(0);
        writeLog(text + ending);
        if (tail.size() == ProcessResult.TAIL_LINES) {
            tail.removeFirst();
        }
        tail.addLast(text);
        try {
            onLine.accept(text);
        } catch (RuntimeException e) {
            if (!consumerBroken) {
                consumerBroken = true;
                LOG.warn("an output line consumer failed; the command's output is still read and logged", e);
            }
        }
    }

    private void writeLog(String text) {
        if (log == null || logBroken) {
            return;
        }
        try {
            log.write(text);
        } catch (IOException e) {
            logBroken = true;
            LOG.warn("cannot write the trial's log any more; its output is still read", e);
        }
    }

    private void flushLog() {
        if (log == null || logBroken) {
            return;
        }
        try {
            log.flush();
        } catch (IOException e) {
            logBroken = true;
            LOG.warn("cannot write the trial's log any more; its output is still read", e);
        }
    }

    List<String> tail() {
        return List.copyOf(tail);
    }

    @Override
    public void close() {
        try {
            source.close();
            if (log != null) {
                log.close();
            }
        } catch (IOException e) {
            LOG.warn("cannot close the trial's log", e);
        }
    }
}
