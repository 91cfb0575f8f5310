package dev.hone.source;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.transport.URIish;

/**
 * What Hone needs to know about a git URL: a key that is the same for every spelling of one repository (so a
 * webhook's {@code clone_url} finds the configured {@code ssh} URL), its name, its host and transport, a relative
 * submodule URL resolved against it, and the URL with any credentials masked for printing.
 */
public final class GitUrls {

    private static final Pattern USER_INFO = Pattern.compile("(?i)^([a-z][a-z0-9+.-]*://)([^/?#@\\s]+)@");
    private static final Pattern ANY_USER_INFO = Pattern.compile("(?i)\\b[a-z][a-z0-9+.-]*://[^/?#@\\s]+@");
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)[?&;]password=([^&;#\\s]*)");
    private static final Pattern SCP_LIKE = Pattern.compile("^(?:[^@/\\s]+@)?([^:/\\s]+):(?!//)(.+)$");

    private GitUrls() {}

    /**
     * {@code host/path} in lower case without scheme, user, port, trailing slash or {@code .git}:
     * {@code https://github.com/Acme/Digits.git}, {@code git@github.com:acme/digits} and
     * {@code ssh://git@github.com:22/acme/digits.git} all give {@code github.com/acme/digits}. A local path or
     * {@code file://} URL gives its path.
     */
    public static String key(String url) {
        String text = url.strip();
        String hostAndPath;
        if (text.startsWith("/")) {
            return trim(text);
        }
        Matcher scp = SCP_LIKE.matcher(text);
        if (!text.contains("://") && scp.matches()) {
            hostAndPath = scp.group(1) + "/" + scp.group(2).replaceFirst("^/+", "");
        } else {
            try {
                URI uri = new URI(text);
                if ("file".equalsIgnoreCase(uri.getScheme())) {
                    return trim(uri.getPath());
                }
                hostAndPath = (uri.getHost() == null ? "" : uri.getHost()) + "/" + (uri.getPath() == null ? ""
                        : uri.getPath().replaceFirst("^/+", ""));
            } catch (URISyntaxException e) {
                hostAndPath = text;
            }
        }
        return trim(hostAndPath).toLowerCase(Locale.ROOT);
    }

    /** The last path segment without {@code .git}: {@code digits} for {@code https://github.com/acme/digits.git}. */
    public static String name(String url) {
        String path = trim(url.strip());
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf(':'));
        String name = slash >= 0 ? path.substring(slash + 1) : path;
        return name.isEmpty() ? "project" : name;
    }

    /**
     * The URL with a password or token in its user info replaced: {@code https://bot:***@host/x.git}; the user info
     * of an http(s) URL without a colon is a token ({@code https://***@host/x.git}), an SSH user ({@code git@}) is
     * no secret.
     */
    public static String mask(String url) {
        Matcher m = USER_INFO.matcher(url);
        if (!m.find()) {
            return url;
        }
        String userInfo = m.group(2);
        int colon = userInfo.indexOf(':');
        if (colon < 0 && !m.group(1).toLowerCase(Locale.ROOT).startsWith("http")) {
            return url;
        }
        String masked = colon >= 0 ? userInfo.substring(0, colon) + ":***" : "***";
        return m.group(1) + masked + "@" + url.substring(m.end());
    }

    /**
     * The secrets a URL holds, masked by {@link #mask} and {@link #maskAll}: the password of
     * {@code scheme://user:password@}, the user info of an http(s) URL without one (a token), the value of a
     * {@code password=} parameter (a JDBC URL's); none for null.
     */
    public static List<String> secrets(String url) {
        if (url == null) {
            return List.of();
        }
        List<String> found = new ArrayList<>();
        Matcher m = ANY_USER_INFO.matcher(url);
        while (m.find()) {
            String userInfo = m.group().substring(m.group().indexOf("://") + 3, m.group().length() - 1);
            int colon = userInfo.indexOf(':');
            if (colon >= 0) {
                found.add(userInfo.substring(colon + 1));
            } else if (m.group().toLowerCase(Locale.ROOT).startsWith("http")) {
                found.add(userInfo);
            }
        }
        Matcher p = PASSWORD_PARAMETER.matcher(url);
        while (p.find()) {
            found.add(p.group(1));
        }
        return found;
    }

    /** {@code text} with the credentials of every URL in it masked (error messages that quote a URL). */
    public static String maskAll(String text) {
        return ANY_USER_INFO.matcher(text).replaceAll(m -> Matcher.quoteReplacement(mask(m.group())));
    }

    /** The host of a remote URL ({@code github.com} for {@code git@github.com:acme/digits.git}); empty for a path. */
    public static Optional<String> host(String url) {
        return uri(url).map(URIish::getHost).filter(h -> !h.isBlank());
    }

    /** The port a URL names; -1 when it names none (the transport's default). */
    static int port(String url) {
        return uri(url).map(URIish::getPort).orElse(-1);
    }

    /** True for {@code ssh://…} and scp-like {@code user@host:path} URLs. */
    public static boolean ssh(String url) {
        Optional<URIish> uri = uri(url);
        if (uri.isEmpty() || uri.get().getHost() == null) {
            return false;
        }
        String scheme = uri.get().getScheme();
        return scheme == null || scheme.equalsIgnoreCase("ssh") || scheme.equalsIgnoreCase("git+ssh")
                || scheme.equalsIgnoreCase("ssh+git");
    }

    /** True for {@code http://} and {@code https://} URLs. */
    public static boolean http(String url) {
        String text = url.strip().toLowerCase(Locale.ROOT);
        return text.startsWith("https://") || text.startsWith("http://");
    }

    /**
     * A submodule's URL as git reads {@code .gitmodules}: {@code ./x} and {@code ../x} are relative to the
     * superproject's URL ({@code ../lib.git} of {@code git@host:acme/app.git} is {@code git@host:acme/lib.git});
     * anything else is already absolute.
     */
    public static String resolve(String base, String url) {
        String relative = url.strip();
        if (!relative.startsWith("./") && !relative.startsWith("../")) {
            return relative;
        }
        String root = base.strip();
        while (root.endsWith("/")) {
            root = root.substring(0, root.length() - 1);
        }
        int pathStart = pathStart(root);
        String prefix = root.substring(0, pathStart);
        String path = root.substring(pathStart);
        while (true) {
            if (relative.startsWith("./")) {
                relative = relative.substring(2);
            } else if (relative.startsWith("../")) {
                relative = relative.substring(3);
                int slash = path.lastIndexOf('/');
                path = slash >= 0 ? path.substring(0, slash) : "";
            } else {
                break;
            }
        }
        String separator = path.isEmpty() && (prefix.endsWith(":") || prefix.endsWith("/")) ? "" : "/";
        return prefix + path + separator + relative;
    }

    /** Where the path of {@code url} starts: after {@code scheme://host[:port]}, after scp-like {@code host:}. */
    private static int pathStart(String url) {
        int scheme = url.indexOf("://");
        if (scheme >= 0) {
            int slash = url.indexOf('/', scheme + 3);
            return slash < 0 ? url.length() : slash;
        }
        Matcher scp = SCP_LIKE.matcher(url);
        if (!url.startsWith("/") && scp.matches()) {
            return scp.start(2);
        }
        return 0;
    }

    private static Optional<URIish> uri(String url) {
        try {
            return Optional.of(new URIish(url.strip()));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static String trim(String path) {
        String p = path;
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.toLowerCase(Locale.ROOT).endsWith(".git")) {
            p = p.substring(0, p.length() - 4);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }
}
