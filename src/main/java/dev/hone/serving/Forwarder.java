package dev.hone.serving;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployment's fixed address, {@code 127.0.0.1:<serve.port>}, owned by Hone and forwarded byte for byte to the
 * container that serves now. Switching to another container is one assignment: connections accepted from then on go
 * to it, connections already open stay with the one they were made to (so a swap drops none), and {@link
 * Backend#active()} tells when the old one has none left. With no container to forward to, a connection is closed
 * at once rather than left hanging.
 */
final class Forwarder implements AutoCloseable {

    /** A container's published port, and the connections forwarded to it now. */
    static final class Backend {
        final int port;
        private final AtomicInteger active = new AtomicInteger();

        Backend(int port) {
            this.port = port;
        }

        int active() {
            return active.get();
        }

        /** Waits until no connection is forwarded here any more, at most {@code max}. */
        void drain(Duration max) {
            long until = System.nanoTime() + max.toNanos();
            while (active.get() > 0 && System.nanoTime() - until < 0) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);
    private static final int CONNECT_TIMEOUT_MS = 2000;

    private final ServerSocket server;
    private volatile Backend target;

    /** Listens on 127.0.0.1:{@code port}; throws when another program has it. */
    Forwarder(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        this.server = socket;
        Thread.ofPlatform().daemon().name("hone-serve-" + port).start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Forwards new connections to {@code backend} (null: none, they are closed). */
    void switchTo(Backend backend) {
        target = backend;
    }

    Backend target() {
        return target;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Backend backend = target;
                if (backend == null) {
                    client.close();
                    continue;
                }
                backend.active.incrementAndGet();
                Thread.ofVirtual().name("hone-serve-conn").start(() -> forward(client, backend));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.debug("accepting a connection failed", e);
                }
            }
        }
    }

    private void forward(Socket client, Backend backend) {
        try (client; Socket upstream = new Socket()) {
            upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), backend.port), CONNECT_TIMEOUT_MS);
            upstream.setTcpNoDelay(true);
            client.setTcpNoDelay(true);
            Thread back = Thread.ofVirtual().start(() -> pump(upstream, client));
            pump(client, upstream);
            back.join();
        } catch (IOException e) {
            LOG.debug("forwarding to port {} failed: {}", backend.port, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            backend.active.decrementAndGet();
        }
    }

    /** Copies until end of stream, then half-closes the other side's output (so HTTP/1.0 request bodies work). */
    private static void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // both ends are done
            }
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("closing the forwarder failed", e);
        }
    }
}
