package dev.hone.notify;

import dev.hone.time.Durations;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * JSON over HTTP for the web channels, with bounded waits: a receiver that does not connect within
 * {@code connect} or does not answer within {@code read} fails the attempt instead of holding it. Errors name the
 * receiver and its endpoint without the path ({@code https://hooks.slack.com/…}), which is where webhook URLs keep
 * their secret.
 */
final class Http {

    static final Duration CONNECT = Duration.ofSeconds(5);
    static final Duration READ = Duration.ofSeconds(10);
    private static final int SNIPPET = 200;

    private final HttpClient client;
    private final Duration connect;
    private final Duration read;

    Http(Duration connect, Duration read) {
        this.client = HttpClient.newBuilder().connectTimeout(connect)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.connect = connect;
        this.read = read;
    }

    /** POSTs {@code json} to {@code uri}; returns the answer's body when it is a 2xx. */
    String post(String receiver, URI uri, String json, Map<String, String> headers) {
        return call(receiver, uri, request(uri, headers).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Sends {@code json} with {@code method} (PATCH, PUT) to {@code uri}; returns the answer's body when a 2xx. */
    String send(String receiver, String method, URI uri, String json, Map<String, String> headers) {
        return call(receiver, uri, request(uri, headers).method(method, HttpRequest.BodyPublishers.ofString(json)));
    }

    String get(String receiver, URI uri, Map<String, String> headers) {
        return call(receiver, uri, request(uri, headers).GET());
    }

    private HttpRequest.Builder request(URI uri, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(read)
                .header("Content-Type", "application/json; charset=utf-8").header("User-Agent", "Hone");
        headers.forEach(request::header);
        return request;
    }

    private String call(String receiver, URI uri, HttpRequest.Builder request) {
        String where = receiver + " at " + Redaction.endpoint(uri);
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException e) {
            throw DeliveryException.retryable("cannot connect to " + where + " within " + Durations.format(connect), e);
        } catch (HttpTimeoutException e) {
            throw DeliveryException.retryable("no answer from " + where + " within " + Durations.format(read), e);
        } catch (ConnectException e) {
            throw DeliveryException.retryable("cannot reach " + where + ": connection refused", e);
        } catch (SSLException e) {
            throw DeliveryException.retryable("TLS failure talking to " + where + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw DeliveryException.retryable("cannot talk to " + where + ": " + reason(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DeliveryException.retryable("interrupted while talking to " + where, e);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return response.body();
        }
        String message = receiver + " answered HTTP " + status + " at " + Redaction.endpoint(uri) + snippet(response);
        boolean retryable = status >= 500 || status == 408 || status == 425 || status == 429;
        throw retryable ? DeliveryException.retryable(message, null) : DeliveryException.permanent(message, null);
    }

    private static String snippet(HttpResponse<String> response) {
        String body = response.body() == null ? "" : response.body().strip().replaceAll("\\s+", " ");
        if (body.isEmpty()) {
            return "";
        }
        return ": " + Redaction.NONE.error(body.length() > SNIPPET ? body.substring(0, SNIPPET) + "…" : body);
    }

    private static String reason(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
