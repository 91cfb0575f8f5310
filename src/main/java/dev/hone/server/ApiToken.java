package dev.hone.server;

import dev.hone.source.Signatures;
import dev.hone.store.Installation;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Optional;

/**
 * The token of hone-server.yaml, which writes ({@link Access}): the configured {@code api_token}, or one generated at
 * the first start (printed once, kept only as its SHA-256). Checks take constant time.
 */
public final class ApiToken {

    private final String sha256;
    /** The token generated at this start (null otherwise): known only until this process ends. */
    private final String generated;

    private ApiToken(String sha256) {
        this(sha256, null);
    }

    private ApiToken(String sha256, String generated) {
        this.sha256 = sha256;
        this.generated = generated;
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
            String token = Tokens.generate(random);
            String hash = Signatures.sha256Hex(token);
            installation.saveApiTokenHash(hash, clock.instant());
            out.println("hone: generated the API token of the write endpoints; it is shown this once and stored "
                    + "only as a hash:");
            out.println("  " + token);
            out.println("  send it as: Authorization: Bearer <token>   (set api_token in hone-server.yaml to choose "
                    + "your own)");
            return new ApiToken(hash, token);
        });
    }

    /** The token, when this process generated it (a secret to mask in every output); empty otherwise. */
    Optional<String> generated() {
        return Optional.ofNullable(generated);
    }

    /** True when {@code sha256Hex} is the SHA-256 (hex) of this token; takes constant time. */
    boolean hasHash(String sha256Hex) {
        return Signatures.equal(sha256, sha256Hex);
    }
}
