package dev.hone.source;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Hone needs to know about a git URL: a key that is the same for every spelling of one repository (so a
 * webhook's {@code clone_url} finds the configured {@code ssh} URL), its name, and the URL with any credentials
 * masked for printing.
 */
public final class GitUrls {

    private static final Pattern USER_INFO = Pattern.compile("(?i)^([a-z][a-z0-9+.-]*://)([^/?#@\\s]+)@");
    private static final Pattern ANY_USER_INFO = Pattern.compile("(?i)\\b[a-z][a-z0-9+.-]*://[^/?#@\\s]+@");
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
            hostAndPath = scp.group(1) + "/" + scp.group(2);
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

    /** The URL with a password or token in its user info replaced: {@code https://bot:***@host/x.git}. */
    public static String mask(String url) {
        Matcher m = USER_INFO.matcher(url);
        if (!m.find()) {
            return url;
        }
        String userInfo = m.group(2);
        int colon = userInfo.indexOf(':');
        String masked = colon >= 0 ? userInfo.substring(0, colon) + ":***" : "***";
        return m.group(1) + masked + "@" + url.substring(m.end());
    }

    /** {@code text} with the credentials of every URL in it masked (error messages that quote a URL). */
    public static String maskAll(String text) {
        return ANY_USER_INFO.matcher(text).replaceAll(m -> Matcher.quoteReplacement(mask(m.group())));
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
