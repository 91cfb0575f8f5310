package dev.hone.serving;

import dev.hone.time.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One HTTP health check: {@code GET http://127.0.0.1:PORT/PATH}, healthy on a 2xx or 3xx status. Every step is
 * bounded (connecting, and reading the status line, each by {@code timeout}), so an endpoint that hangs costs a
 * check at most twice the timeout and never a thread forever.
 */
final class HealthCheck {

    private final Duration timeout;

    HealthCheck(Duration timeout) {
        this.timeout = timeout;
    }

    /** Empty when healthy; else what went wrong, for the user: "GET /health: HTTP 503", "… no answer within 2s". */
    Optional<String> check(int port, String path) {
        String target = "GET " + path;
        int millis = (int) Math.max(1, timeout.toMillis());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), millis);
            socket.setSoTimeout(millis);
            OutputStream out = socket.getOutputStream();
            out.write((target + " HTTP/1.0\r\nHost: 127.0.0.1:" + port + "\r\nUser-Agent: hone-health\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = statusLine(socket.getInputStream(), System.nanoTime() + timeout.toNanos());
            String[] words = status.split(" ");
            if (words.length < 2 || !words[0].startsWith("HTTP/")) {
                return Optional.of(target + ": not an HTTP answer: " + abbreviate(status));
            }
            int code = Integer.parseInt(words[1]);
            return code >= 200 && code < 400 ? Optional.empty() : Optional.of(target + ": HTTP " + code);
        } catch (SocketTimeoutException e) {
            return Optional.of(target + ": no answer within " + Durations.format(timeout) + " (the endpoint hangs)");
        } catch (NumberFormatException e) {
            return Optional.of(target + ": not an HTTP status");
        } catch (IOException e) {
            return Optional.of(target + ": " + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage()));
        }
    }

    /**
     * Checks until healthy, every 100 ms, for at most {@code startTimeout}; empty when healthy, else why not. Stops
     * at once when {@code stopped} says the container stopped (with how).
     */
    Optional<String> awaitHealthy(int port, String path, Duration startTimeout,
                                  Supplier<Optional<String>> stopped) {
        long until = System.nanoTime() + startTimeout.toNanos();
        String last = "no answer yet";
        while (System.nanoTime() - until < 0) {
            Optional<String> gone = stopped.get();
            if (gone.isPresent()) {
                return Optional.of("it stopped before it became healthy (" + gone.get() + ")");
            }
            Optional<String> problem = check(port, path);
            if (problem.isEmpty()) {
                return Optional.empty();
            }
            last = problem.get();
            try {
                Thread.sleep(Math.max(0, Math.min(100, (until - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of("interrupted while it started");
            }
        }
        return Optional.of("it did not become healthy within " + Durations.format(startTimeout) + " ("
                + last + ")");
    }

    /** The first line, read within the deadline (a server trickling bytes does not extend it). */
    private static String statusLine(InputStream in, long deadline) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n' && line.length() < 512) {
            line.append((char) c);
            if (System.nanoTime() - deadline > 0) {
                throw new SocketTimeoutException("status line too slow");
            }
        }
        return line.toString().strip();
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
