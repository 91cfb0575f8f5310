package dev.hone.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP proxy on a loopback port that tunnels HTTPS as corporate proxies do ({@code CONNECT host:port}), and
 * remembers where each tunnel went.
 */
public final class TestProxy implements AutoCloseable {

    private final ServerSocket socket;
    private final List<String> tunnels = new CopyOnWriteArrayList<>();

    private TestProxy(ServerSocket socket) {
        this.socket = socket;
    }

    public static TestProxy start() throws IOException {
        TestProxy proxy = new TestProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        Thread.ofVirtual().name("test-proxy").start(proxy::accept);
        return proxy;
    }

    /** {@code http://127.0.0.1:PORT}, as https_proxy takes it. */
    public String url() {
        return "http://127.0.0.1:" + socket.getLocalPort();
    }

    /** The {@code host:port} of every tunnel opened, in order. */
    public List<String> tunnels() {
        return List.copyOf(tunnels);
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Thread.ofVirtual().start(() -> tunnel(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void tunnel(Socket client) {
        try (client) {
            String head = head(client.getInputStream());
            String[] request = head.split("\r\n", 2)[0].split(" ");
            OutputStream toClient = client.getOutputStream();
            if (request.length < 2 || !request[0].equals("CONNECT")) {
                toClient.write("HTTP/1.1 405 Only CONNECT\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            String target = request[1];
            int colon = target.lastIndexOf(':');
            try (Socket server = new Socket(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)))) {
                tunnels.add(target);
                toClient.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                toClient.flush();
                Thread up = Thread.ofVirtual().start(() -> pipe(client, server));
                pipe(server, client);
                up.join();
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // the client or the server went away: the tunnel ends
        }
    }

    private static void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            // one side closed
        }
    }

    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            if (head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                break;
            }
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
