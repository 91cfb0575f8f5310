package dev.hone.exec.kubernetes;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hone.error.EnvironmentException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * Code in, results out, without a shared volume: the HTTP endpoint pods fetch their part of the run directory from
 * ({@code GET /in}: the workspace and the files the command is given, as a tar) and send what they changed back to
 * ({@code PUT /out}: the workspace's changed files and {@code $HONE_OUTPUT}). Each command gets a token of its own
 * ({@link #grant}), valid for that command's run directory only and only until {@link #revoke}. A tar sent back is
 * unpacked by GNU tar, which refuses names with {@code ..} and absolute ones, and only its workspace and output
 * entries are taken. Started on the first grant; listens where {@link Address} says.
 */
final class Transfers implements AutoCloseable {

    /**
     * Where the endpoint listens and the URL pods reach it at (null: {@code http://HOST:PORT} of where it listens).
     */
    record Address(String host, int port, String url) {}

    /** What one token may fetch and write: paths relative to {@code runDir}. */
    record Grant(Path runDir, List<String> in, List<String> out) {}

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Address address;
    private final Map<String, Grant> grants = new ConcurrentHashMap<>();
    private HttpServer server;
    private String url;

    Transfers(Address address) {
        this.address = address;
    }

    /** A new token for {@code grant}. */
    synchronized String grant(Grant grant) {
        start();
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String token = HexFormat.of().formatHex(bytes);
        grants.put(token, grant);
        return token;
    }

    /** {@code token} for {@code grant} again: the token of an adopted pod, given by a Hone that stopped. */
    synchronized String grant(Grant grant, String token) {
        start();
        grants.put(token, grant);
        return token;
    }

    /** The token is no longer valid. */
    void revoke(String token) {
        if (token != null) {
            grants.remove(token);
        }
    }

    /** The URL pods use; the endpoint is started when it is not yet. */
    synchronized String url() {
        start();
        return url;
    }

    private void start() {
        if (server != null) {
            return;
        }
        try {
            server = HttpServer.create(new InetSocketAddress(address.host(), address.port()), 50);
        } catch (IOException e) {
            throw new EnvironmentException("cannot listen on " + address.host() + ":" + address.port()
                    + " for the workspace transfers of Kubernetes pods: " + e.getMessage()
                    + " — set HONE_KUBERNETES_LISTEN to a free HOST:PORT");
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/in", exchange -> answer(exchange, "GET", this::sendIn));
        server.createContext("/out", exchange -> answer(exchange, "PUT", this::takeOut));
        server.start();
        url = address.url() != null ? address.url().replaceAll("/+$", "")
                : "http://" + address.host() + ":" + server.getAddress().getPort();
    }

    private interface Handler {
        void handle(HttpExchange exchange, Grant grant) throws IOException, InterruptedException;
    }

    private void answer(HttpExchange exchange, String method, Handler handler) throws IOException {
        try (exchange) {
            Grant grant = grantOf(exchange.getRequestHeaders().getFirst("Authorization"));
            if (grant == null) {
                reply(exchange, 401, "no valid transfer token: it is given to one pod, and only while it runs");
            } else if (!exchange.getRequestMethod().equals(method) || !exchange.getRequestURI().getPath()
                    .equals(exchange.getHttpContext().getPath())) {
                reply(exchange, 404, "only " + method + " " + exchange.getHttpContext().getPath());
            } else {
                handler.handle(exchange, grant);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | UncheckedIOException e) {
            // the pod went away; its command's ending says what happened
        }
    }

    private Grant grantOf(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return null;
        }
        byte[] given = authorization.substring("Bearer ".length()).getBytes(StandardCharsets.UTF_8);
        for (Map.Entry<String, Grant> e : grants.entrySet()) {
            if (MessageDigest.isEqual(e.getKey().getBytes(StandardCharsets.UTF_8), given)) {
                return e.getValue();
            }
        }
        return null;
    }

    private void sendIn(HttpExchange exchange, Grant grant) throws IOException, InterruptedException {
        List<String> present = grant.in().stream().filter(p -> Files.exists(grant.runDir().resolve(p))).toList();
        List<String> command = new ArrayList<>(List.of("tar", "-c", "-C", grant.runDir().toString(), "-f", "-",
                "--"));
        command.addAll(present);
        Process tar = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        tar.getOutputStream().close();
        exchange.getResponseHeaders().set("Content-Type", "application/x-tar");
        exchange.sendResponseHeaders(200, 0);
        try (InputStream archive = tar.getInputStream(); OutputStream body = exchange.getResponseBody()) {
            archive.transferTo(body);
        }
        tar.waitFor();
    }

    private void takeOut(HttpExchange exchange, Grant grant) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tar", "-x", "-C", grant.runDir().toString(),
                "--no-same-owner", "--no-same-permissions", "--wildcards", "-f", "-", "--"));
        grant.out().forEach(p -> command.add(p + "/*"));
        Process tar = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (InputStream body = exchange.getRequestBody(); OutputStream archive = tar.getOutputStream()) {
            body.transferTo(archive);
        }
        String said = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = tar.waitFor();
        // exit 2 with "Not found in archive": nothing changed under one of the granted paths
        boolean ok = code == 0 || said.lines().allMatch(l -> l.contains("Not found in archive")
                || l.contains("Exiting with failure status due to previous errors"));
        reply(exchange, ok ? 204 : 400, ok ? "" : said);
    }

    private static void reply(HttpExchange exchange, int status, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }
}
