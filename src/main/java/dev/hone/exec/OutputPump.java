package dev.hone.exec;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Reads a process's combined output on a thread of its own as it arrives, and hands it to {@link OutputLines}: each
 * line, masked, goes to the consumer and to the log file (flushed after each read, so the log can be tailed live),
 * and the last {@link ProcessResult#TAIL_LINES} lines are kept.
 */
final class OutputPump implements Runnable {

    private final InputStream output;
    private final OutputLines lines;
    private final CountDownLatch ended = new CountDownLatch(1);

    /**
     * @param log   where lines are written, or null for none; the pump closes it
     * @param masks the secrets replaced in every line
     */
    OutputPump(InputStream output, Writer log, Consumer<String> onLine, Masks masks) {
        this.output = output;
        this.lines = new OutputLines(log, onLine, masks);
    }

    @Override
    public void run() {
        try (Reader reader = new InputStreamReader(output, StandardCharsets.UTF_8)) {
            char[] buffer = new char[8192];
            int read;
            while ((read = reader.read(buffer)) != -1) {
                lines.accept(buffer, 0, read);
                lines.flush();
            }
            lines.end();
        } catch (IOException e) {
            // the stream was closed by abandon(): nothing more to read
        } finally {
            lines.close();
            ended.countDown();
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
        lines.abandon();
        try {
            output.close();
        } catch (IOException e) {
            // closing is all we wanted
        }
    }

    /** The last lines read, oldest first. */
    List<String> tail() {
        return lines.tail();
    }
}
