package dev.hone.spec;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which variables hold secrets, judged by their names: a name is read as words (split at {@code _}, {@code -},
 * {@code .} and camelCase humps) and says secret when one of them ends with secret(s), token, password, passwd,
 * key, credential(s), auth or authorization, in any case ({@code HF_TOKEN}, {@code apiKey}, {@code APIKEY},
 * {@code OAUTH}, {@code AWS_SECRET_ACCESS_KEY}). Words that only start so are not secret: {@code AUTHOR},
 * {@code TOKENIZER}, {@code MAX_TOKENS}, {@code KEYBOARD}. Values shorter than {@value #MIN_LENGTH} characters are
 * never treated as secrets: a mask for every "1" or "yes" in the output would hide more than it protects.
 */
public final class SecretNames {

    public static final int MIN_LENGTH = 4;

    private static final List<String> ENDINGS = List.of("secret", "secrets", "token", "password", "passwd", "key",
            "credential", "credentials", "auth", "authorization");
    private static final Pattern WORD_BREAK = Pattern.compile("[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])");
    private static final Pattern TRAILING_DIGITS = Pattern.compile("[0-9]+$");

    private SecretNames() {}

    public static boolean saysSecret(String name) {
        return name != null && Arrays.stream(WORD_BREAK.split(name))
                .map(word -> TRAILING_DIGITS.matcher(word.toLowerCase(Locale.ROOT)).replaceFirst(""))
                .anyMatch(word -> ENDINGS.stream().anyMatch(word::endsWith));
    }

    /** The values of {@code env} whose names say secret, long enough to mask. */
    public static Stream<String> secretValues(Map<String, String> env) {
        return env.entrySet().stream().filter(e -> saysSecret(e.getKey())).map(Map.Entry::getValue)
                .filter(v -> v != null && v.length() >= MIN_LENGTH);
    }
}
