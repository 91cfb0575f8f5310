package dev.hone.source;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 signatures and constant-time comparisons for webhooks and tokens. */
public final class Signatures {

    private Signatures() {}

    /** The HMAC-SHA256 of {@code body} with {@code secret}, in lower-case hex. */
    public static String hmacSha256Hex(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    /** True when {@code given} (hex, any case) is the HMAC of {@code body}; the comparison takes constant time. */
    public static boolean hmacMatches(String secret, byte[] body, String given) {
        if (given == null || secret == null) {
            return false;
        }
        return equal(hmacSha256Hex(secret, body), given.strip().toLowerCase(Locale.ROOT));
    }

    /** Compares two secrets in time that depends on neither (their SHA-256 digests are compared). */
    public static boolean equal(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(sha256(a.getBytes(StandardCharsets.UTF_8)),
                sha256(b.getBytes(StandardCharsets.UTF_8)));
    }

    /** SHA-256 of a text in lower-case hex (how the API token is stored). */
    public static String sha256Hex(String text) {
        return HexFormat.of().formatHex(sha256(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
