package dev.hone.spec;

import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which variables hold secrets, judged by their names as Spring Boot sanitizes keys: a name with secret, token,
 * password, passwd, key, credential or auth in it (any case). Values shorter than {@value #MIN_LENGTH} characters
 * are never treated as secrets: a mask for every "1" or "yes" in the output would hide more than it protects.
 */
public final class SecretNames {

    public static final int MIN_LENGTH = 4;

    private static final Pattern SECRET_NAME =
            Pattern.compile("secret|token|password|passwd|key|credential|auth", Pattern.CASE_INSENSITIVE);

    private SecretNames() {}

    public static boolean saysSecret(String name) {
        return name != null && SECRET_NAME.matcher(name).find();
    }

    /** The values of {@code env} whose names say secret, long enough to mask. */
    public static Stream<String> secretValues(Map<String, String> env) {
        return env.entrySet().stream().filter(e -> saysSecret(e.getKey())).map(Map.Entry::getValue)
                .filter(v -> v != null && v.length() >= MIN_LENGTH);
    }
}
