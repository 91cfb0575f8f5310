package dev.hone.server;

import dev.hone.source.Signatures;
import dev.hone.spec.ServerSpec.ReadAccess;
import dev.hone.store.Installation;
import dev.hone.store.StoreException;
import dev.hone.store.TokenRow;
import dev.hone.store.TokenRow.Scope;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may do what through the REST API and the dashboard. Writing needs a write token: the API token (the
 * {@code api_token} of hone-server.yaml, or the one generated at the first start) or a token of
 * {@code hone token create --scope write}. Reading needs a token of either scope when {@code read_access} is
 * {@code token}, none when it is {@code public}. A token is known by its SHA-256 alone; the last use of each token of
 * {@code hone token} is recorded, to the minute.
 */
public final class Access {

    /** How the API token is named where a token's name is shown. */
    public static final String API_TOKEN = "api_token";
    private static final String BEARER = "Bearer ";
    private static final Duration USE_RESOLUTION = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(Access.class);

    /** What a token of this server may do, and its name for messages. */
    public record Grant(String name, Scope scope) {
        public boolean writes() {
            return scope == Scope.WRITE;
        }
    }

    private final ApiToken apiToken;
    private final Installation installation;
    private final ReadAccess reads;
    private final InstantSource clock;

    public Access(ApiToken apiToken, Installation installation, ReadAccess reads, InstantSource clock) {
        this.apiToken = apiToken;
        this.installation = installation;
        this.reads = reads;
        this.clock = clock;
    }

    /** The API token, when this process generated it (a secret to mask in every output); empty otherwise. */
    Optional<String> generatedApiToken() {
        return apiToken.generated();
    }

    /** Whether reading needs a token. */
    public ReadAccess reads() {
        return reads;
    }

    /** The grant of an {@code Authorization: Bearer <token>} header; empty when it carries no token of this server. */
    public Optional<Grant> ofAuthorization(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        return ofToken(authorization.substring(BEARER.length()).strip());
    }

    /** The grant of a token's text; empty when it is no token of this server. */
    public Optional<Grant> ofToken(String token) {
        return ofHash(Signatures.sha256Hex(token));
    }

    /**
     * The grant of the token whose SHA-256 (hex) this is (a dashboard session keeps only that); empty when it is no
     * token of this server, or no longer one (revoked).
     */
    public Optional<Grant> ofHash(String sha256Hex) {
        if (apiToken.hasHash(sha256Hex)) {
            return Optional.of(new Grant(API_TOKEN, Scope.WRITE));
        }
        return installation.tokenByHash(sha256Hex).map(token -> {
            used(token);
            return new Grant(token.name(), token.scope());
        });
    }

    /** Records the use, at most once a minute per token; a store that cannot record it does not refuse the token. */
    private void used(TokenRow token) {
        Instant now = clock.instant();
        if (token.lastUsedAt() != null && token.lastUsedAt().plus(USE_RESOLUTION).isAfter(now)) {
            return;
        }
        try {
            installation.tokenUsed(token.name(), now);
        } catch (StoreException e) {
            LOG.warn("event=token_use_not_recorded token={} reason=\"{}\"", token.name(), e.getMessage());
        }
    }
}
