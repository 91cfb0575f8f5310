package dev.hone.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hone.error.EnvironmentException;
import dev.hone.error.HoneException;
import dev.hone.pipeline.Summary;
import dev.hone.run.RunStatus;
import dev.hone.store.RunRow;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * A running {@code hone serve} read through its REST API, for the commands that take {@code --server URL}. The
 * token comes from {@code HONE_TOKEN}, else {@code ~/.config/hone/token}; it is sent, never printed.
 */
final class Remote {

    /** {@code --server URL}. */
    static final class ServerOption {

        @Option(names = "--server", paramLabel = "URL",
                description = "Read a running hone serve at URL through its API (token: HONE_TOKEN or "
                        + "~/.config/hone/token) instead of the local store.")
        String server;
    }

    static final String TOKEN_FILE = ".config/hone/token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper SUMMARY = Runs.JSON.copy()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final URI base;
    private final String token;
    private final String tokenSource;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private Remote(URI base, String token, String tokenSource) {
        this.base = base;
        this.token = token;
        this.tokenSource = tokenSource;
    }

    /** The server at {@code url}, with the user's token; a URL that is no http(s) address is a usage error. */
    static Remote of(String url, Map<String, String> env) {
        URI base;
        try {
            base = new URI(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        } catch (URISyntaxException e) {
            base = null;
        }
        if (base == null || base.getHost() == null
                || !("http".equals(base.getScheme()) || "https".equals(base.getScheme()))) {
            throw new HoneException("--server takes the address of a hone serve, like http://127.0.0.1:8080; got "
                    + url);
        }
        String token = env.get("HONE_TOKEN");
        if (token != null && !token.isBlank()) {
            return new Remote(base, token.strip(), "HONE_TOKEN");
        }
        Path file = Path.of(env.getOrDefault("HOME", System.getProperty("user.home"))).resolve(TOKEN_FILE);
        try {
            if (Files.isRegularFile(file)) {
                return new Remote(base, Files.readString(file).strip(), "~/" + TOKEN_FILE);
            }
        } catch (IOException e) {
            throw new EnvironmentException("cannot read the token in " + file + ": " + e.getMessage(), e);
        }
        return new Remote(base, null, null);
    }

    @Override
    public String toString() {
        return base.toString();
    }

    /** GET a JSON body; a 404 is empty. */
    Optional<JsonNode> json(String path) {
        HttpResponse<InputStream> response = send(path, Map.of());
        try (InputStream body = response.body()) {
            if (response.statusCode() == 404) {
                return Optional.empty();
            }
            return Optional.of(JSON.readTree(body));
        } catch (IOException e) {
            throw new EnvironmentException("cannot read the answer of " + base + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * POST with no body; the answer as JSON. A 404 or 409 is a usage error with the server's words; a token without
     * write access is refused like a wrong one.
     */
    JsonNode post(String path) {
        HttpResponse<InputStream> response = send(HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.noBody()), path, Map.of(), Set.of(404, 409));
        try (InputStream body = response.body()) {
            JsonNode answer = JSON.readTree(body);
            if (response.statusCode() >= 400) {
                throw new HoneException(answer.path("error").asText("run not found"));
            }
            return answer;
        } catch (IOException e) {
            throw new EnvironmentException("cannot read the answer of " + base + path + ": " + e.getMessage(), e);
        }
    }

    /** GET a body as a stream (the caller closes it); null on 404. */
    InputStream stream(String path, Map<String, String> headers) {
        HttpResponse<InputStream> response = send(path, headers);
        if (response.statusCode() == 404) {
            try (InputStream ignored = response.body()) {
                return null;
            } catch (IOException e) {
                return null;
            }
        }
        return response.body();
    }

    private HttpResponse<InputStream> send(String path, Map<String, String> headers) {
        return send(HttpRequest.newBuilder(URI.create(base + path)), path, headers, Set.of(404));
    }

    /** Sends with the token; {@code answered}: the error statuses the caller reads itself. */
    private HttpResponse<InputStream> send(HttpRequest.Builder request, String path, Map<String, String> headers,
                                           Set<Integer> answered) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException e) {
            throw new EnvironmentException("cannot reach " + base + ": connection refused; is hone serve running?", e);
        } catch (IOException e) {
            throw new EnvironmentException("cannot reach " + base + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnvironmentException("interrupted while asking " + base, e);
        }
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            drain(response);
            throw new HoneException("the server refused the token (" + status + (token == null ? ", none given"
                    : ", from " + tokenSource) + "); set HONE_TOKEN or write a token to ~/" + TOKEN_FILE
                    + " (hone token create on the server makes one)");
        }
        if (status >= 400 && !answered.contains(status)) {
            drain(response);
            throw new EnvironmentException(base + path + " answered " + status);
        }
        return response;
    }

    private static void drain(HttpResponse<InputStream> response) {
        try (InputStream body = response.body()) {
            body.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            // nothing more to read
        }
    }

    /** The newest runs ({@code GET /api/runs}), as the store would give them. */
    List<RunRow> runs(String project, int limit) {
        JsonNode page = json("/api/runs?limit=" + limit + (project == null ? ""
                : "&project=" + java.net.URLEncoder.encode(project, java.nio.charset.StandardCharsets.UTF_8)))
                .orElseThrow();
        List<RunRow> runs = new ArrayList<>();
        page.get("items").forEach(item -> runs.add(run(item)));
        return runs;
    }

    /** The names of the server's projects ({@code GET /api/projects}, the first 500). */
    List<String> projects() {
        List<String> names = new ArrayList<>();
        json("/api/projects?limit=500").orElseThrow().path("items").forEach(p -> names.add(p.get("name").asText()));
        return names;
    }

    /** The repositories the server watches ({@code GET /api/repositories}). */
    List<RepoCommand.ListRepos.Row> repositories() {
        List<RepoCommand.ListRepos.Row> rows = new ArrayList<>();
        json("/api/repositories").orElseThrow().forEach(r -> {
            List<String> branches = new ArrayList<>();
            r.path("branches").forEach(b -> branches.add(b.asText()));
            rows.add(new RepoCommand.ListRepos.Row(r.hasNonNull("id") ? r.get("id").asLong() : null, text(r, "url"),
                    branches, text(r, "poll"), r.path("configured").asBoolean(), text(r, "status"),
                    text(r, "problem")));
        });
        return rows;
    }

    /** The id of the newest run on the server. */
    long latestRun() {
        return runs(null, 1).stream().findFirst().orElseThrow(() -> new HoneException("no runs yet on " + base
                + ": start one with `hone run DIR`")).id();
    }

    /** {@code GET /api/runs/{id}}: the run's summary and more; an unknown run is a usage error. */
    JsonNode run(long id) {
        return json("/api/runs/" + id).orElseThrow(() -> new HoneException("no run " + id + " on " + base
                + ": `hone runs --server " + base + "` lists them"));
    }

    /** A run's summary ({@code GET /api/runs/{id}}), as {@code hone run} made it. */
    Summary summary(long id) {
        JsonNode run = run(id);
        try {
            Summary s = SUMMARY.treeToValue(run, Summary.class);
            return new Summary(s.run(), s.status(), s.project(), s.commit(), s.metric(), s.best(), s.trials(),
                    s.events(), s.notifications(), s.problems() == null ? List.of() : s.problems(),
                    s.earlyStopping(), s.objectives(), s.paretoFront(), s.warmStart());
        } catch (IOException e) {
            throw new EnvironmentException(base + "/api/runs/" + id + " answered what is no run: " + e.getMessage(),
                    e);
        }
    }

    /** A run of {@code GET /api/runs}' items as a row: what the API shows of it, the rest null. */
    static RunRow run(JsonNode item) {
        JsonNode best = item.path("best");
        return new RunRow(item.get("id").asLong(), text(item, "project"), null, text(item, "commit"),
                text(item, "branch"), text(item, "author"), text(item, "message"),
                RunStatus.valueOf(item.get("status").asText().toUpperCase(java.util.Locale.ROOT)), null, null, null,
                null, best.isObject() ? best.get("trial").asInt() : null,
                best.isObject() && best.hasNonNull("value") ? best.get("value").asDouble() : null,
                item.get("trials").asInt(), instant(item, "created_at"), instant(item, "finished_at"), null, null);
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private static Instant instant(JsonNode node, String field) {
        if (!node.hasNonNull(field)) {
            return null;
        }
        JsonNode value = node.get(field);
        return value.isNumber() ? Instant.ofEpochMilli((long) (value.asDouble() * 1000)) : Instant.parse(value.asText());
    }
}
