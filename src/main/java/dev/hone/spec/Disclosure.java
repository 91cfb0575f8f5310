package dev.hone.spec;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How much of a value a problem message or a {@code toString} may show. Secrets (tokens, passwords, webhook URLs)
 * never appear: a message quotes them only as written when that is nothing but {@code ${VAR}} references, and
 * describes them otherwise. URLs that may carry credentials (a store, a repository) appear with the password
 * masked.
 */
enum Disclosure {

    /** The value as written. */
    PLAIN,
    /** A URL shown with the password of its user info, or of a {@code password=} parameter, masked. */
    URL,
    /** Shown only when written as {@code ${VAR}} references alone. */
    SECRET;

    /** What stands for a secret in {@code toString}. */
    static final String MASK = "***";

    private static final Pattern REFERENCES = Pattern.compile("(?:\\$\\{[A-Za-z_][A-Za-z0-9_]*\\})+");
    private static final Pattern USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)([^/?#@\\s]+)@");
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&;]password=)[^&;#\\s]*");

    /** The text as a message may quote it, or empty when it may not be shown at all. */
    Optional<String> show(String text) {
        return switch (this) {
            case PLAIN -> Optional.of(text);
            case URL -> Optional.of(maskCredentials(text));
            case SECRET -> REFERENCES.matcher(text).matches() ? Optional.of(text) : Optional.empty();
        };
    }

    /**
     * How a scalar written as {@code raw} reads in a message: quoted when a string, with a note when its value came
     * from the environment (which is never shown), or only its type when it is a secret.
     */
    String describe(String raw, Scalar scalar, boolean expanded) {
        boolean string = scalar != null && scalar.isString();
        return show(raw)
                .map(shown -> expanded ? Scalar.quote(shown) + " (expanded from the environment)"
                        : string ? Scalar.quote(shown) : shown)
                .orElseGet(() -> (string ? "a string" : scalar != null && scalar.booleanValue().isPresent()
                        ? "true or false" : "a number") + " (not shown: secret)");
    }

    /** A secret for {@code toString}: {@code null} when not set, {@link #MASK} otherwise. */
    static String mask(String secret) {
        return secret == null ? "null" : MASK;
    }

    /**
     * {@code url} with its credentials masked: the password of {@code scheme://user:password@}, the whole user
     * info of an http(s) URL (there it is usually a token), and a {@code password=} query parameter. SSH's
     * {@code ssh://git@host} keeps its user, which is no secret.
     */
    static String maskCredentials(String url) {
        if (url == null) {
            return null;
        }
        Matcher m = USER_INFO.matcher(url);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String scheme = m.group(1);
            String userInfo = m.group(2);
            int colon = userInfo.indexOf(':');
            String masked = colon >= 0 ? userInfo.substring(0, colon + 1) + MASK
                    : scheme.toLowerCase(Locale.ROOT).startsWith("http") ? MASK
                    : userInfo;
            m.appendReplacement(out, Matcher.quoteReplacement(scheme + masked + "@"));
        }
        m.appendTail(out);
        return PASSWORD_PARAMETER.matcher(out).replaceAll("$1" + Matcher.quoteReplacement(MASK));
    }
}
