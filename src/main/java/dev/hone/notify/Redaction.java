package dev.hone.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of what Hone writes: messages lose the configured secrets (tokens, passwords, the Slack and
 * webhook URLs, the webhook secret) and the credentials of any URL; errors lose, besides, every URL's path, which
 * is where a webhook URL keeps its secret ({@code https://hooks.slack.com/…}).
 */
final class Redaction {

    static final String MASK = "***";
    static final Redaction NONE = new Redaction(List.of());

    private static final Pattern CREDENTIALS = Pattern.compile("\\b([a-zA-Z][a-zA-Z0-9+.-]*://)[^/\\s@]+@");
    private static final Pattern URL = Pattern.compile("\\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\\s\"'<>]+");
    private static final Pattern TRAILING = Pattern.compile("[.,:;!?)\\]]+$");
    private static final int SHORTEST_SECRET = 4;

    private final List<String> secrets;

    Redaction(Collection<String> secrets) {
        this.secrets = secrets.stream().filter(Objects::nonNull).map(String::strip)
                .filter(s -> s.length() >= SHORTEST_SECRET).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    /** For a message: secrets and URL credentials masked; links stay whole. */
    String text(String text) {
        if (text == null) {
            return null;
        }
        String masked = text;
        for (String secret : secrets) {
            masked = masked.replace(secret, MASK);
        }
        return CREDENTIALS.matcher(masked).replaceAll("$1" + Matcher.quoteReplacement(MASK) + "@");
    }

    /** For an error: as {@link #text}, and every URL cut to {@code scheme://host/…}. */
    String error(String text) {
        String masked = text(text);
        return masked == null ? null : URL.matcher(masked).replaceAll(m -> Matcher.quoteReplacement(cut(m.group())));
    }

    /** {@code https://user@host:8080/path?q),} → {@code https://host:8080/…),}: punctuation after a URL stays. */
    private static String cut(String url) {
        Matcher trailing = TRAILING.matcher(url);
        String end = trailing.find() ? trailing.group() : "";
        String bare = url.substring(0, url.length() - end.length());
        int scheme = bare.indexOf("://") + 3;
        int slash = scheme;
        while (slash < bare.length() && "/?#".indexOf(bare.charAt(slash)) < 0) {
            slash++;
        }
        String authority = bare.substring(scheme, slash);
        String rest = bare.substring(slash);
        return bare.substring(0, scheme) + host(authority) + (rest.isEmpty() || rest.equals("/") ? "" : "/…") + end;
    }

    /** Masks, as {@link #text}, every string in a JSON tree, in place. */
    void scrub(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                if (field.getValue().isTextual()) {
                    object.put(field.getKey(), text(field.getValue().textValue()));
                } else {
                    scrub(field.getValue());
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isTextual()) {
                    array.set(i, array.textNode(text(array.get(i).textValue())));
                } else {
                    scrub(array.get(i));
                }
            }
        }
    }

    /** How an error names an endpoint: {@code https://hooks.slack.com/…}. */
    static String endpoint(URI uri) {
        String path = uri.getRawPath();
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (path == null || path.isEmpty() || path.equals("/") ? "" : "/…");
    }

    /** A short name for a configuration that holds secrets, e.g. to tell two Slack URLs apart without showing them. */
    static String fingerprint(String... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                sha.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static String host(String authority) {
        int at = authority.lastIndexOf('@');
        return at < 0 ? authority : authority.substring(at + 1);
    }
}
