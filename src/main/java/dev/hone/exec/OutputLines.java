package dev.hone.exec;

import dev.hone.logs.CappedLog;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A command's output cut into lines as it arrives, for both executors (the local {@code OutputPump}, Docker's
 * {@code LogTail}). A line ends at \n, \r\n or a lone \r (progress bars redraw with \r); one longer than
 * {@value #MAX_LINE} characters is cut into pieces, never inside a secret (the cut waits for as many more
 * characters as the longest secret has, and moves past one that spans it). Each line is masked ({@link Masks}),
 * then written to the log file with its own ending (an unterminated last line without one), given to the consumer,
 * and kept among the last {@link ProcessResult#TAIL_LINES}. A line reaches the log only once it has ended (or been
 * cut), so a secret that arrives in two pieces is still masked whole. A log that cannot be written, or a consumer that throws, is reported once and the
 * output is still read.
 */
public final class OutputLines implements AutoCloseable {

    public static final int MAX_LINE = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(OutputLines.class);

    private final Writer log;
    private final Consumer<String> onLine;
    private final Masks masks;
    private final StringBuilder line = new StringBuilder();
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private boolean afterCarriageReturn;
    private boolean logBroken;
    private boolean consumerBroken;
    private volatile boolean abandoned;

    /**
     * @param log    where lines are written, or null for none; {@link #close()} closes it
     * @param onLine told of each line; null for nobody
     * @param masks  the secrets replaced in every line
     */
    public OutputLines(Writer log, Consumer<String> onLine, Masks masks) {
        this.log = log;
        this.onLine = onLine == null ? l -> {} : onLine;
        this.masks = masks == null ? Masks.NONE : masks;
    }

    /**
     * A log file's writer, its directory created; {@code append}: after what it holds, else it is replaced. It holds at
     * most {@code limit} bytes ({@link CappedLog}: past it, the log's beginning and its end).
     */
    public static Writer openLog(Path logFile, boolean append, long limit) throws IOException {
        return new BufferedWriter(new OutputStreamWriter(new CappedLog(logFile, append, limit),
                StandardCharsets.UTF_8));
    }

    /** Takes the next {@code length} characters of the output from {@code buffer}. */
    public void accept(char[] buffer, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            take(buffer[i]);
        }
    }

    /** Takes the characters {@code chars} has left. */
    public void accept(CharBuffer chars) {
        while (chars.hasRemaining()) {
            take(chars.get());
        }
    }

    /** The output ended: an unterminated last line is taken as it is, and the log flushed. */
    public void end() {
        if (!line.isEmpty()) {
            emit("");
        }
        flush();
    }

    /** Writes what the log buffers, so it can be tailed while the command runs. */
    public void flush() {
        if (log == null || logBroken || abandoned) {
            return;
        }
        try {
            log.flush();
        } catch (IOException e) {
            giveUpOnLog(e);
        }
    }

    /** Reports nothing more: for output held open by a process that could not be killed. */
    public void abandon() {
        abandoned = true;
    }

    /** The last lines, oldest first. */
    public List<String> tail() {
        synchronized (tail) {
            return List.copyOf(tail);
        }
    }

    @Override
    public void close() {
        if (log != null) {
            try {
                log.close();
            } catch (IOException e) {
                if (!logBroken) {
                    LOG.warn("cannot close the log: {}", e.getMessage());
                }
            }
        }
    }

    private void take(char c) {
        if (afterCarriageReturn) {
            afterCarriageReturn = false;
            if (c == '\n') {
                write("\n");
                return;
            }
        }
        if (c == '\n' || c == '\r') {
            emit(String.valueOf(c));
            afterCarriageReturn = c == '\r';
        } else {
            line.append(c);
            if (line.length() >= MAX_LINE + Math.max(0, masks.longest() - 1)) {
                int cut = masks.safeCut(line, MAX_LINE);
                String piece = line.substring(0, cut);
                line.delete(0, cut);
                emit(piece, "");
            }
        }
    }

    /** The line read so far, masked, to the log (followed by {@code ending}), the tail and the consumer. */
    private void emit(String ending) {
        String raw = line.toString();
        line.setLength(0);
        emit(raw, ending);
    }

    /** {@code raw}, masked, to the log (followed by {@code ending}), the tail and the consumer. */
    private void emit(String raw, String ending) {
        String text = masks.apply(raw);
        if (abandoned) {
            return;
        }
        synchronized (tail) {
            if (tail.size() == ProcessResult.TAIL_LINES) {
                tail.removeFirst();
            }
            tail.addLast(text);
        }
        write(text + ending);
        try {
            onLine.accept(text);
        } catch (RuntimeException e) {
            if (!consumerBroken) {
                consumerBroken = true;
                LOG.warn("an output line consumer failed; the command's output is still read and logged", e);
            }
        }
    }

    private void write(String text) {
        if (log == null || logBroken || abandoned) {
            return;
        }
        try {
            log.write(text);
        } catch (IOException e) {
            giveUpOnLog(e);
        }
    }

    private void giveUpOnLog(IOException e) {
        logBroken = true;
        LOG.warn("cannot write the log any more ({}); the output is still read", e.getMessage());
    }
}
