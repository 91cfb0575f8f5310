package dev.hone.exec;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a process's combined output as it arrives: each line goes to the consumer and to the log file (flushed, so
 * the log can be tailed live), and the last {@link dev.hone.exec.ProcessResult#TAIL_LINES} lines are kept. A line
 * ends at \n, \r\n or a lone \r (progress bars redraw with \r); the log file gets the bytes' line endings as they
 * were. Lines longer than {@value #MAX_LINE} characters are cut into pieces. Every line is masked ({@link Masks})
 * before it goes anywhere, so no secret reaches the tail, the log file or the consumer.
 */
final class OutputPump implements Runnable {

    static final int MAX_LINE = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(OutputPump.class);

    private final InputStream output;
    private final Writer log;
    private final Consumer<String> onLine;
    private final Masks masks;
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean abandoned;
    private boolean logBroken;
    private boolean consumerBroken;

    /**
     * @param log   where lines are written, or null for none; the pump closes it
     * @param masks the secrets replaced in every line
     */
    OutputPump(InputStream output, Writer log, Consumer<String> onLine, Masks masks) {
        this.output = output;
        this.log = log;
        this.onLine = onLine;
        this.masks = masks;
    }

    @Override
    public void run() {
        try (Reader reader = new InputStreamReader(output, StandardCharsets.UTF_8)) {
            pump(reader);
        } catch (IOException e) {
            // the stream was closed by abandon(): nothing more to read
        } finally {
            closeLog();
            ended.countDown();
        }
    }

    private void pump(Reader reader) throws IOException {
        char[] buffer = new char[8192];
        StringBuilder line = new StringBuilder();
        boolean afterCarriageReturn = false;
        int read;
        while ((read = reader.read(buffer)) != -1) {
            for (int i = 0; i < read; i++) {
                char c = buffer[i];
                if (afterCarriageReturn) {
                    afterCarriageReturn = false;
                    if (c == '\n') {
                        writeLog("\n");
                        continue;
                    }
                }
                if (c == '\n' || c == '\r') {
                    emit(line.toString(), String.valueOf(c));
                    line.setLength(0);
                    afterCarriageReturn = c == '\r';
                } else {
                    line.append(c);
                    if (line.length() >= MAX_LINE) {
                        emit(line.toString(), "");
                        line.setLength(0);
                    }
                }
            }
        }
        if (!line.isEmpty()) {
            emit(line.toString(), "");
        }
    }

    private void emit(String raw, String ending) {
        if (abandoned) {
            return;
        }
        String line = masks.apply(raw);
        synchronized (tail) {
            if (tail.size() == ProcessResult.TAIL_LINES) {
                tail.removeFirst();
            }
            tail.addLast(line);
        }
        writeLog(line + ending);
        try {
            onLine.accept(line);
        } catch (RuntimeException e) {
            if (!consumerBroken) {
                consumerBroken = true;
                LOG.warn("an output line consumer failed; the command's output is still read and logged", e);
            }
        }
    }

    private void writeLog(String text) {
        if (log == null || logBroken || abandoned) {
            return;
        }
        try {
            log.write(text);
            log.flush();
        } catch (IOException e) {
            logBroken = true;
            LOG.warn("cannot write the command's log any more; its output is still read", e);
        }
    }

    private void closeLog() {
        if (log != null) {
            try {
                log.close();
            } catch (IOException e) {
                LOG.warn("cannot close the command's log", e);
            }
        }
    }

    /** Waits up to {@code timeout} for the end of the output; true when it ended. */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Stops taking lines: for output held open by a process that could not be killed. The reading thread may stay
     * blocked until that process ends, but nothing it reads is reported any more.
     */
    void abandon() {
        abandoned = true;
        try {
            output.close();
        } catch (IOException e) {
            // closing is all we wanted
        }
    }

    /** The last lines read, oldest first. */
    List<String> tail() {
        synchronized (tail) {
            return List.copyOf(tail);
        }
    }
}
