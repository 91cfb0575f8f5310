package dev.hone.server;

import dev.hone.source.Signatures;
import dev.hone.store.Installation;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Base64;

/**
 * The bearer token of the write endpoints: the configured {@code api_token}, or one generated at the first start
 * (printed once, kept only as its SHA-256). Checks take constant time.
 */
public final class ApiToken {

    private static final String BEARER = "Bearer ";

    private final String sha256;

    private ApiToken(String sha256) {
        this.sha256 = sha256;
    }

    /**
     * The configured token when there is one; else the stored hash of the generated one; else a new token from
     * {@code random}, printed to {@code out} once and stored hashed.
     */
    public static ApiToken establish(String configured, Installation installation, SecureRandom random,
                                     InstantSource clock, PrintStream out) {
        if (configured != null && !configured.isBlank()) {
            return new ApiToken(Signatures.sha256Hex(configured));
        }
        return installation.apiTokenHash().map(ApiToken::new).orElseGet(() -> {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            String token = "hone_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            String hash = Signatures.sha256Hex(token);
            installation.saveApiTokenHash(hash, clock.instant());
            out.println("hone: generated the API token of the write endpoints; it is shown this once and stored "
                    + "only as a hash:");
            out.println("  " + token);
            out.println("  send it as: Authorization: Bearer <token>   (set api_token in hone-server.yaml to choose "
                    + "your own)");
            return new ApiToken(hash);
        });
    }

    /** True when an {@code Authorization} header value carries the token. */
    public boolean accepts(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        return Signatures.equal(sha256, Signatures.sha256Hex(authorization.substring(BEARER.length()).strip()));
    }
}
