package dev.hone.notify;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * TLS in front of GreenMail's plain SMTP, which has SSL but no STARTTLS. In STARTTLS mode it greets, offers
 * STARTTLS, refuses every other command ("530 Must issue a STARTTLS command first") and, after the client's
 * STARTTLS, does the TLS handshake and relays the encrypted session to GreenMail — where EHLO, AUTH and the mail
 * itself happen. In SSL mode it does the handshake at once. It counts handshakes and remembers the commands it saw
 * in the clear.
 */
final class TlsFront implements AutoCloseable {

    enum Mode { STARTTLS, SSL }

    private final Mode mode;
    private final SSLContext tls;
    private final int backend;
    private final ServerSocket server;
    private final AtomicInteger handshakes = new AtomicInteger();
    private final List<String> clear = new CopyOnWriteArrayList<>();

    TlsFront(Mode mode, SSLContext tls, int backend) throws IOException {
        this.mode = mode;
        this.tls = tls;
        this.backend = backend;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("tls-front").start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    int handshakes() {
        return handshakes.get();
    }

    /** The commands clients sent before TLS. */
    List<String> clearCommands() {
        return List.copyOf(clear);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread.ofVirtual().start(() -> serve(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            if (mode == Mode.STARTTLS && !negotiate(client)) {
                return;
            }
            SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(client,
                    client.getInetAddress().getHostAddress(), client.getPort(), false);
            secure.setUseClientMode(false);
            secure.startHandshake();
            handshakes.incrementAndGet();
            try (secure; Socket mail = new Socket(InetAddress.getLoopbackAddress(), backend)) {
                String greeting = line(mail.getInputStream());
                if (mode == Mode.SSL) {
                    write(secure.getOutputStream(), greeting);
                }
                Thread up = Thread.ofVirtual().start(() -> pipe(secure, mail));
                pipe(mail, secure);
                up.join();
            }
        } catch (IOException | InterruptedException e) {
            // the client or GreenMail hung up
        }
    }

    /** The clear part of the session; true once the client asked for STARTTLS. */
    private boolean negotiate(Socket client) throws IOException {
        InputStream in = client.getInputStream();
        OutputStream out = client.getOutputStream();
        write(out, "220 front ESMTP");
        while (true) {
            String command = line(in);
            if (command == null) {
                return false;
            }
            clear.add(command);
            String verb = command.split(" ", 2)[0].toUpperCase(Locale.ROOT);
            switch (verb) {
                case "EHLO" -> write(out, "250-front\r\n250 STARTTLS");
                case "HELO" -> write(out, "250 front");
                case "STARTTLS" -> {
                    write(out, "220 2.0.0 Ready to start TLS");
                    return true;
                }
                case "QUIT" -> {
                    write(out, "221 bye");
                    return false;
                }
                default -> write(out, "530 5.7.0 Must issue a STARTTLS command first");
            }
        }
    }

    private static void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // one side closed
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException | UnsupportedOperationException e) {
                // an SSLSocket cannot half-close: closing follows
            }
        }
    }

    /** One CRLF-terminated line, read byte by byte so nothing after it is consumed; null at the end. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                String text = bytes.toString(StandardCharsets.US_ASCII);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            bytes.write(b);
        }
        return bytes.size() == 0 ? null : bytes.toString(StandardCharsets.US_ASCII);
    }

    private static void write(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
