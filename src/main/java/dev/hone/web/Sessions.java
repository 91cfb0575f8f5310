package dev.hone.web;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard's sessions, in memory (a restart signs everyone out): a random id, sent as an HTTP-only,
 * SameSite=Strict cookie, stands for the SHA-256 of the token the browser signed in with. The token itself is kept
 * nowhere, and each request checks that the token is still one of the server's, so revoking it ends its sessions.
 */
final class Sessions {

    static final String COOKIE = "hone_session";
    static final Duration LIFETIME = Duration.ofHours(12);
    /** Beyond this many live sessions, the oldest is dropped. */
    private static final int MAX = 10_000;

    private record Session(String tokenSha256, Instant expires) {}

    private final Map<String, Session> byId = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final InstantSource clock;

    Sessions(InstantSource clock) {
        this.clock = clock;
    }

    /** Opens a session for the token with this SHA-256; returns its id, for the cookie. */
    String open(String tokenSha256) {
        Instant now = clock.instant();
        byId.values().removeIf(s -> !s.expires().isAfter(now));
        while (byId.size() >= MAX) {
            byId.entrySet().stream().min(Map.Entry.comparingByValue((a, b) -> a.expires().compareTo(b.expires())))
                    .ifPresent(oldest -> byId.remove(oldest.getKey()));
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        byId.put(id, new Session(tokenSha256, now.plus(LIFETIME)));
        return id;
    }

    /** The SHA-256 of the token a live session signed in with; empty for an unknown or expired id. */
    Optional<String> tokenSha256(String id) {
        Session session = byId.get(id);
        if (session == null) {
            return Optional.empty();
        }
        if (!session.expires().isAfter(clock.instant())) {
            byId.remove(id);
            return Optional.empty();
        }
        return Optional.of(session.tokenSha256());
    }

    void close(String id) {
        byId.remove(id);
    }
}
