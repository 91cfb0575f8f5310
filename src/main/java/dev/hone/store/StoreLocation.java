package dev.hone.store;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a store lives: a SQLite file or a PostgreSQL JDBC URL. {@link #display()} is safe to print: the password
 * of the URL is masked, and {@link #redact(String)} masks it in any other text (a driver's message).
 */
record StoreLocation(Vendor vendor, String jdbcUrl, Path file, String display, String password) {

    enum Vendor {
        SQLITE, POSTGRESQL;

        /** The Flyway folder of this vendor's migrations (ids are generated differently). */
        String migrations() {
            return "classpath:db/migration/" + name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)(password=)([^&;\\s]*)");
    private static final Pattern USER_INFO = Pattern.compile("(//[^/:@\\s]+:)([^@/\\s]*)@");
    private static final String MASK = "***";

    static StoreLocation parse(String location) {
        if (location == null || location.isBlank()) {
            throw new StoreException("no store location: give a SQLite file path or a jdbc:postgresql://host/db URL");
        }
        String trimmed = location.strip();
        if (trimmed.startsWith("jdbc:postgresql:")) {
            return new StoreLocation(Vendor.POSTGRESQL, trimmed, null, mask(trimmed), password(trimmed));
        }
        if (trimmed.startsWith("jdbc:sqlite:")) {
            return sqlite(Path.of(trimmed.substring("jdbc:sqlite:".length())));
        }
        if (trimmed.startsWith("jdbc:")) {
            throw new StoreException("unsupported store " + mask(trimmed)
                    + ": give a SQLite file path or a jdbc:postgresql://host/db URL");
        }
        return sqlite(Path.of(trimmed));
    }

    private static StoreLocation sqlite(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        return new StoreLocation(Vendor.SQLITE, "jdbc:sqlite:" + absolute, absolute, absolute.toString(), null);
    }

    /** Masks the password of every URL in {@code text}, and this location's password wherever it appears. */
    String redact(String text) {
        if (text == null) {
            return null;
        }
        String masked = mask(text);
        if (password != null && !password.isEmpty()) {
            masked = masked.replace(password, MASK);
            String decoded = URLDecoder.decode(password, StandardCharsets.UTF_8);
            if (!decoded.isEmpty()) {
                masked = masked.replace(decoded, MASK);
            }
        }
        return masked;
    }

    private static String mask(String text) {
        String masked = PASSWORD_PARAM.matcher(text).replaceAll("$1" + Matcher.quoteReplacement(MASK));
        return USER_INFO.matcher(masked).replaceAll("$1" + Matcher.quoteReplacement(MASK) + "@");
    }

    private static String password(String url) {
        Matcher param = PASSWORD_PARAM.matcher(url);
        if (param.find()) {
            return param.group(2);
        }
        Matcher userInfo = USER_INFO.matcher(url);
        return userInfo.find() ? userInfo.group(2) : null;
    }

    @Override
    public String toString() {
        return display;
    }
}
