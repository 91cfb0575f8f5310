package dev.hone.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.JsonEscapeUtil;
import dev.hone.exec.Masks;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The log of {@code hone serve}: the process's logging (logback) pointed at one output in one format, Hone's events
 * at INFO and libraries' at WARN, every installation secret masked. What the server says to its operator goes
 * through {@link #console()}, so nothing reaches the output but log lines.
 */
public final class ServerLog {

    /** The logger of what the server says through {@link #console()}. */
    public static final String CONSOLE_LOGGER = "dev.hone.serve";
    /**
     * A text line: ISO-8601 time in UTC, level, logger, the run and trial when there are, the message; a stack
     * trace after it.
     */
    static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX,UTC} %-5level %logger"
            + "%replace( run=%X{run}){' run=$', ''}%replace( trial=%X{trial}){' trial=$', ''} - %msg%n";

    private final org.slf4j.Logger console;

    private ServerLog(org.slf4j.Logger console) {
        this.console = console;
    }

    /**
     * Sends every log event of the process to {@code out} as {@code format} lines, {@code secrets} masked
     * ({@link Masks#MASK}); replaces the configuration the process started with.
     */
    public static ServerLog install(LogFormat format, OutputStream out, Collection<String> secrets) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            throw new IllegalStateException("logback is not SLF4J's provider: " + LoggerFactory.getILoggerFactory());
        }
        context.reset();
        Encoder<ILoggingEvent> encoder = switch (format) {
            case TEXT -> {
                PatternLayoutEncoder text = new PatternLayoutEncoder();
                text.setPattern(TEXT_PATTERN);
                text.setCharset(StandardCharsets.UTF_8);
                yield text;
            }
            case JSON -> new JsonLines();
        };
        encoder.setContext(context);
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setName("hone-serve");
        appender.setEncoder(encoder);
        appender.setOutputStream(new MaskedLines(out, masks(format, secrets)));
        appender.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(appender);
        context.getLogger("dev.hone").setLevel(Level.INFO);
        // Javalin's one error is a port it cannot listen on, which hone serve reports itself, with what to do
        context.getLogger("io.javalin.Javalin").setLevel(Level.OFF);
        return new ServerLog(LoggerFactory.getLogger(CONSOLE_LOGGER));
    }

    /**
     * A stream whose every {@code println} or {@code printf} becomes an INFO event of {@value #CONSOLE_LOGGER} (blank
     * ones are dropped): what the server would have printed.
     */
    public PrintStream console() {
        return new PrintStream(new ConsoleLines(console), true, StandardCharsets.UTF_8);
    }

    /** The secrets as written, and as a JSON string holds them. */
    private static Masks masks(LogFormat format, Collection<String> secrets) {
        List<String> all = new ArrayList<>(secrets);
        if (format == LogFormat.JSON) {
            secrets.forEach(s -> all.add(JsonEscapeUtil.jsonEscapeString(s)));
        }
        return Masks.of(all);
    }

    /**
     * What is written to the console, logged at INFO when a flush comes at the end of a line: the console flushes at
     * the end of each {@code println} and {@code printf}, so a notification of several lines is one event.
     */
    private static final class ConsoleLines extends OutputStream {
        private final org.slf4j.Logger logger;
        private final ByteArrayOutputStream text = new ByteArrayOutputStream();

        ConsoleLines(org.slf4j.Logger logger) {
            this.logger = logger;
        }

        @Override
        public synchronized void write(int b) {
            text.write(b);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            text.write(bytes, offset, length);
        }

        /** The console flushes after each piece a {@code printf} writes: only what ends a line is logged. */
        @Override
        public synchronized void flush() {
            byte[] bytes = text.toByteArray();
            if (bytes.length == 0 || bytes[bytes.length - 1] != '\n') {
                return;
            }
            String said = text.toString(StandardCharsets.UTF_8).stripTrailing();
            text.reset();
            if (!said.isBlank()) {
                logger.info(said.replaceFirst("^\\n+", ""));
            }
        }
    }
}
