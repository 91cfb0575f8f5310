package dev.hone.dataset;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where the data a {@code hone.yaml} names may be read from: under {@code hone serve}, only under the directories
 * and URL prefixes of {@code data_roots} (hone-server.yaml), so a pushed repository cannot make the server read its
 * files or call its network; under {@code hone run}, anywhere ({@link #ANYWHERE}: the user runs their own code).
 *
 * @param paths absolute directories; a path is allowed when its real path (links resolved) is under one's
 * @param urls  http(s) URL prefixes; a URL is allowed when it starts with one
 */
public record DataRoots(List<Path> paths, List<String> urls, boolean anywhere) {

    /** {@code hone run}: the user's own data, wherever it is. */
    public static final DataRoots ANYWHERE = new DataRoots(List.of(), List.of(), true);
    /** {@code hone serve} without {@code data_roots}: no data source may be read. */
    public static final DataRoots NOWHERE = new DataRoots(List.of(), List.of(), false);

    public DataRoots {
        paths = List.copyOf(paths);
        urls = List.copyOf(urls);
    }

    /** Only under these directories and URL prefixes. */
    public static DataRoots of(List<Path> paths, List<String> urls) {
        return new DataRoots(paths, urls, false);
    }

    /** Why {@code path} may not be read; empty when it may. */
    Optional<String> refusal(Path path) {
        if (anywhere) {
            return Optional.empty();
        }
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            real = path.toAbsolutePath().normalize();
        }
        for (Path root : paths) {
            Path realRoot;
            try {
                realRoot = root.toRealPath();
            } catch (IOException e) {
                realRoot = root.toAbsolutePath().normalize();
            }
            if (real.startsWith(realRoot)) {
                return Optional.empty();
            }
        }
        return Optional.of("data path " + path + (real.equals(path) ? "" : " (" + real + ")") + " is not under the "
                + "server's data_roots " + (paths.isEmpty() ? "(none set)" : paths.toString()) + ": hone serve reads "
                + "only data under them — add its directory to data_roots in hone-server.yaml, or move the data");
    }

    /** Why {@code url} may not be fetched; empty when it may. */
    Optional<String> refusal(URI url) {
        String normal = url.normalize().toString();
        if (anywhere || !normal.contains("/../") && urls.stream().anyMatch(normal::startsWith)) {
            return Optional.empty();
        }
        return Optional.of("data url " + url + " does not start with any of the server's data_roots "
                + (urls.isEmpty() ? "(no URL set)" : urls.toString()) + ": hone serve fetches only data under them — "
                + "add its prefix (e.g. https://data.example.com/) to data_roots in hone-server.yaml");
    }
}
