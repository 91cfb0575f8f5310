package dev.hone.notify;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A repository on a forge, from its git remote URL: the host and the path, e.g. {@code github.com} and
 * {@code acme/digits} from {@code https://github.com/acme/digits.git} or {@code git@github.com:acme/digits.git},
 * {@code gitlab.example.com} and {@code group/sub/project} from
 * {@code ssh://git@gitlab.example.com:2222/group/sub/project.git}.
 */
record Remote(String host, String path) {

    /** {@code [user@]host:path}, git's scp-like syntax. */
    private static final Pattern SCP = Pattern.compile("^(?:[^@/\\s]+@)?([^:/\\s]+):(?!//)([^\\s]+)$");

    /** Empty for a local path, a {@code file://} URL, or anything without a host and an owner/name path. */
    static Optional<Remote> parse(String url) {
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        String trimmed = url.strip();
        String host;
        String path;
        if (trimmed.contains("://")) {
            try {
                URI uri = new URI(trimmed);
                if ("file".equalsIgnoreCase(uri.getScheme())) {
                    return Optional.empty();
                }
                host = uri.getHost();
                path = uri.getPath();
            } catch (URISyntaxException e) {
                return Optional.empty();
            }
        } else {
            Matcher scp = SCP.matcher(trimmed);
            if (!scp.matches()) {
                return Optional.empty();
            }
            host = scp.group(1);
            path = scp.group(2);
        }
        if (host == null || host.isEmpty() || path == null) {
            return Optional.empty();
        }
        path = path.replaceAll("^/+|/+$", "");
        if (path.endsWith(".git")) {
            path = path.substring(0, path.length() - ".git".length());
        }
        return path.contains("/") ? Optional.of(new Remote(host.toLowerCase(Locale.ROOT), path)) : Optional.empty();
    }
}
