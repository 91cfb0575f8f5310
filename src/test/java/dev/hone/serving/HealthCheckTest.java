package dev.hone.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Health checks are bounded whatever the endpoint does. */
class HealthCheckTest {

    final HealthCheck check = new HealthCheck(Duration.ofMillis(300));

    @Test
    void twoHundredIsHealthyAnErrorStatusIsNot() throws Exception {
        try (Endpoint ok = new Endpoint(out -> answer(out, "HTTP/1.1 200 OK"));
             Endpoint sick = new Endpoint(out -> answer(out, "HTTP/1.0 503 Service Unavailable"))) {
            assertThat(check.check(ok.port(), "/health")).isEmpty();
            assertThat(check.check(sick.port(), "/health")).contains("GET /health: HTTP 503");
        }
    }

    @Test
    void anEndpointThatHangsCostsOneTimeoutNotAThread() throws Exception {
        try (Endpoint hangs = new Endpoint(out -> sleep());
             Endpoint trickles = new Endpoint(out -> {
                 for (int i = 0; i < 100; i++) {
                     write(out, "H");
                     sleepMillis(50);
                 }
             })) {
            long start = System.nanoTime();
            Optional<String> hung = check.check(hangs.port(), "/health");
            Optional<String> slow = check.check(trickles.port(), "/health");
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(hung).contains("GET /health: no answer within 300ms (the endpoint hangs)");
            assertThat(slow).contains("GET /health: no answer within 300ms (the endpoint hangs)");
            assertThat(took).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void nobodyListeningIsSaidSo() {
        assertThat(check.check(ServeFixture.freePort(), "/health")).hasValueSatisfying(
                problem -> assertThat(problem).startsWith("GET /health: Connection refused"));
    }

    /** A one-trick HTTP endpoint on a free port. */
    static final class Endpoint implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0);

        Endpoint(Consumer<OutputStream> behaviour) throws IOException {
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        Thread.ofVirtual().start(() -> {
                            try (s) {
                                behaviour.accept(s.getOutputStream());
                            } catch (IOException e) {
                                // the check gave up on us
                            }
                        });
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private static void answer(OutputStream out, String status) {
        write(out, status + "\r\nContent-Length: 0\r\n\r\n");
    }

    private static void write(OutputStream out, String text) {
        try {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            // closed by the check
        }
    }

    private static void sleep() {
        sleepMillis(60_000);
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
