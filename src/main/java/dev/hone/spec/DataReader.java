package dev.hone.spec;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code data}: the training data {@code hone serve} watches, each {@code {path: /abs/path}} (a file or a
 * directory on the server) or {@code {url: https://…}}. Whether the server may read it is the server's to say
 * ({@code data_roots} of hone-server.yaml), when it runs.
 */
final class DataReader {

    static final List<String> KEYS = List.of("path", "url");
    private static final String EXAMPLE = "data: [{path: /srv/data/train.csv}, {url: https://data.example.com/train"
            + ".parquet}]";

    private DataReader() {}

    static List<Spec.DataSource> read(YamlValue v) {
        if (v.isMissing()) {
            return List.of();
        }
        List<Spec.DataSource> sources = new ArrayList<>();
        for (YamlValue item : v.items()) {
            YamlMapping m = item.mapping(KEYS).disclosing(Disclosure.URL, "url");
            YamlValue path = m.get("path");
            YamlValue url = m.get("url");
            if (item.isMapping() && path.isMissing() == url.isMissing()) {
                item.problem("must give exactly one of path and url — e.g. " + EXAMPLE);
                continue;
            }
            Spec.DataSource source = path.isMissing() ? url(url) : path(path);
            if (source == null) {
                continue;
            }
            if (sources.stream().anyMatch(s -> s.label().equals(source.label()))) {
                item.problem("lists " + Scalar.quote(source.label()) + " a second time — keep one");
            } else {
                sources.add(source);
            }
        }
        return List.copyOf(sources);
    }

    private static Spec.DataSource path(YamlValue v) {
        return v.string().map(text -> {
            try {
                Path path = Path.of(text);
                if (!path.isAbsolute()) {
                    v.problem("must be an absolute path on the server, got " + v.got() + " — data inside the "
                            + "repository changes with its commits already; watch data kept elsewhere, e.g. "
                            + "path: /srv/data/train.csv");
                    return null;
                }
                return (Spec.DataSource) new Spec.DataSource.File(path.normalize());
            } catch (InvalidPathException e) {
                v.problem("is not a path, got " + v.got() + ": " + e.getReason());
                return null;
            }
        }).orElse(null);
    }

    private static Spec.DataSource url(YamlValue v) {
        return v.string().map(text -> {
            try {
                URI uri = new URI(text);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw new URISyntaxException(text, "not an http(s) URL with a host");
                }
                return (Spec.DataSource) new Spec.DataSource.Url(uri);
            } catch (URISyntaxException e) {
                v.problem("must be an http:// or https:// URL, got " + v.got() + " — e.g. url: "
                        + "https://data.example.com/train.parquet");
                return null;
            }
        }).orElse(null);
    }
}
