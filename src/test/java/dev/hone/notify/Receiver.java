package dev.hone.notify;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A real HTTP server on 127.0.0.1 that stands for Slack, a team's webhook receiver, GitHub or GitLab: it records
 * every request and answers as told — a status and body, or never (until closed).
 */
final class Receiver implements AutoCloseable {

    record Request(String method, String rawPath, Map<String, List<String>> headers, byte[] bytes) {
        String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name))
                    .map(h -> h.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final BlockingQueue<Request> arrivals = new LinkedBlockingQueue<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile int status = 200;
    private volatile String answer = "ok";
    private volatile boolean hang;
    private volatile Consumer<Request> onRequest = request -> { };

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    Receiver answer(int status, String body) {
        this.status = status;
        this.answer = body;
        return this;
    }

    /** Takes every request and never answers, until {@link #close()}. */
    Receiver hang() {
        this.hang = true;
        return this;
    }

    /** Runs on every request before the answer (in the server's thread). */
    Receiver onRequest(Consumer<Request> check) {
        this.onRequest = check;
        return this;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The next request not yet taken, waiting up to 10 s for it. */
    Request next() throws InterruptedException {
        Request request = arrivals.poll(10, TimeUnit.SECONDS);
        if (request == null) {
            throw new AssertionError("no request arrived within 10 s");
        }
        return request;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    Map.copyOf(exchange.getRequestHeaders()), exchange.getRequestBody().readAllBytes());
            requests.add(request);
            arrivals.add(request);
            onRequest.accept(request);
            if (hang) {
                released.await();
                return;
            }
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
    }
}
