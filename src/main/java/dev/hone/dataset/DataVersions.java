package dev.hone.dataset;

import dev.hone.error.HoneException;
import dev.hone.spec.Spec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The version of each data source there is now. A file: {@code sha256:} of its bytes, read as a stream; a directory:
 * {@code sha256:} of its files' relative paths, sizes and hashes in order (links by their target, never followed),
 * at most {@value #MAX_FILES} files; a file is hashed again only when its size or modification time changed. A URL: a
 * GET made conditional on the version known before ({@code If-None-Match}, {@code If-Modified-Since}; a 304 keeps it),
 * its {@code ETag} ({@code etag:…}) else its {@code Last-Modified} ({@code modified:…}) else {@code sha256:} of its
 * body, at most {@value #MAX_URL_BYTES} bytes; redirects are not followed. Only what {@link DataRoots} allows is read.
 */
public final class DataVersions {

    /** The most files a directory source may hold. */
    public static final int MAX_FILES = 10_000;
    /** The most bytes of a URL's body hashed (when it gives neither ETag nor Last-Modified): 4 GiB. */
    public static final long MAX_URL_BYTES = 4L << 30;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** A file's hash, as long as its size and modification time are these. */
    private record Hashed(long size, long modified, String sha256) {}

    private final DataRoots roots;
    private final HttpClient http;
    private final Map<Path, Hashed> hashed = new ConcurrentHashMap<>();

    public DataVersions(DataRoots roots) {
        this.roots = roots;
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(TIMEOUT).build();
    }

    /**
     * The version of each source now, by its label, in order; {@code known} holds the versions known before (by
     * label), which URLs are asked against.
     *
     * @throws HoneException when a source may not be read, is missing, or does not answer: what, and what to do
     */
    public Map<String, String> versions(List<Spec.DataSource> sources, Map<String, String> known) {
        Map<String, String> versions = new LinkedHashMap<>();
        for (Spec.DataSource source : sources) {
            versions.put(source.label(), switch (source) {
                case Spec.DataSource.File f -> path(f.path());
                case Spec.DataSource.Url u -> url(u.url(), known.get(source.label()));
            });
        }
        return versions;
    }

    private String path(Path path) {
        roots.refusal(path).ifPresent(why -> {
            throw new HoneException(why);
        });
        try {
            if (Files.isRegularFile(path)) {
                return "sha256:" + file(path);
            }
            if (!Files.isDirectory(path)) {
                throw new HoneException("data path " + path + " does not exist: create it, or correct data: in "
                        + "hone.yaml");
            }
            return "sha256:" + directory(path);
        } catch (IOException | UncheckedIOException e) {
            throw new HoneException("cannot read data path " + path + ": " + e.getMessage()
                    + " — check that the user hone runs as may read it", e);
        }
    }

    private String directory(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).limit(MAX_FILES + 1L)
                    .forEach(files::add);
        }
        if (files.size() > MAX_FILES) {
            throw new HoneException("data path " + dir + " holds more than " + MAX_FILES + " files: point data: at "
                    + "a smaller directory, or at a file that changes with it (a manifest)");
        }
        files.sort(null);
        MessageDigest listing = sha256();
        for (Path file : files) {
            String entry = dir.relativize(file) + "\0" + (Files.isSymbolicLink(file)
                    ? "link\0" + Files.readSymbolicLink(file) : Files.size(file) + "\0" + file(file)) + "\n";
            listing.update(entry.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(listing.digest());
    }

    private String file(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        long modified = attributes.lastModifiedTime().toMillis();
        Hashed known = hashed.get(file);
        if (known != null && known.size() == attributes.size() && known.modified() == modified) {
            return known.sha256();
        }
        try (InputStream in = Files.newInputStream(file)) {
            String sha = digest(in, Long.MAX_VALUE, file.toString());
            hashed.put(file, new Hashed(attributes.size(), modified, sha));
            return sha;
        }
    }

    private String url(URI url, String known) {
        roots.refusal(url).ifPresent(why -> {
            throw new HoneException(why);
        });
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(TIMEOUT).GET();
        if (known != null && known.startsWith("etag:")) {
            request.header("If-None-Match", known.substring("etag:".length()));
        } else if (known != null && known.startsWith("modified:")) {
            request.header("If-Modified-Since", known.substring("modified:".length()));
        }
        try {
            HttpResponse<InputStream> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = answer.body()) {
                if (answer.statusCode() == 304 && known != null) {
                    return known;
                }
                if (answer.statusCode() / 100 != 2) {
                    throw new HoneException("data url " + url + " answered HTTP " + answer.statusCode()
                            + ": check the URL in data: of hone.yaml and that the server is up");
                }
                var etag = answer.headers().firstValue("ETag");
                if (etag.isPresent()) {
                    return "etag:" + etag.get();
                }
                var modified = answer.headers().firstValue("Last-Modified");
                if (modified.isPresent()) {
                    return "modified:" + modified.get();
                }
                return "sha256:" + digest(body, MAX_URL_BYTES, url.toString());
            }
        } catch (IOException e) {
            throw new HoneException("cannot fetch data url " + url + ": " + e + " — check the URL and that this "
                    + "host reaches it", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HoneException("interrupted while fetching data url " + url, e);
        }
    }

    private static String digest(InputStream in, long limit, String what) throws IOException {
        MessageDigest sha = sha256();
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            total += n;
            if (total > limit) {
                throw new HoneException(what + " is larger than " + limit + " bytes and gives no ETag nor "
                        + "Last-Modified: have its server send an ETag, or point data: at a smaller file");
            }
            sha.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
