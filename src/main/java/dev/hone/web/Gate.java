package dev.hone.web;

import dev.hone.server.Access;
import dev.hone.server.Access.Grant;
import dev.hone.source.Signatures;
import dev.hone.spec.ServerSpec.ReadAccess;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.UnauthorizedResponse;
import java.util.Optional;

/**
 * Who a request comes from and what it may do ({@link Access}). Writes need a write token in
 * {@code Authorization: Bearer}, or a dashboard session signed in with a write token on a request that carries
 * {@value #DASHBOARD_HEADER} (a header no page of another site can make a browser send without a CORS preflight,
 * which Hone never grants; and the SameSite=Strict cookie is not sent with another site's requests anyway). A session
 * signed in with a read token never writes. Reads, when {@code read_access} is {@code token}, need a token of either scope: in the header, or a session
 * the browser opened at {@code /login} (its cookie is HTTP-only and SameSite=Strict; the token is never in a URL nor
 * in the browser's storage).
 */
final class Gate {

    static final String NEEDS_API_TOKEN = "this endpoint needs the API token: send Authorization: Bearer <token>";
    static final String NOT_A_TOKEN = "the bearer token is not a token of this server: use the API token or one made "
            + "with hone token create";
    static final String READING_NEEDS_A_TOKEN = "reading needs a token on this server (read_access: token): send "
            + "Authorization: Bearer <token>, or sign in at /login";

    /** The header the dashboard's own scripts send with a write, so a session may make it. */
    static final String DASHBOARD_HEADER = "X-Hone-Dashboard";

    private static final String WRITER = "hone.writer";

    private final Access access;
    private final Sessions sessions;

    Gate(Access access, Sessions sessions) {
        this.access = access;
        this.sessions = sessions;
    }

    ReadAccess reads() {
        return access.reads();
    }

    /**
     * Lets a write through with a write token in the header, or from the dashboard with a session signed in with
     * one; else 401, or 403 for a token that only reads.
     */
    void requireWrite(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null && ctx.header(DASHBOARD_HEADER) != null) {
            Grant signedIn = session(ctx).orElseThrow(() -> unauthorized(ctx, "sign in with a write token at /login "
                    + "to do this from the dashboard"));
            if (!signedIn.writes()) {
                throw new ForbiddenResponse("you signed in with the token " + signedIn.name() + ", which may only "
                        + "read: sign in with a write token (the API token, or one made with hone token create "
                        + "--scope write) to do this");
            }
            ctx.attribute(WRITER, signedIn.name());
            return;
        }
        Grant grant = access.ofAuthorization(header).orElseThrow(() ->
                unauthorized(ctx, header == null ? NEEDS_API_TOKEN : NOT_A_TOKEN));
        if (!grant.writes()) {
            throw new ForbiddenResponse("the token " + grant.name() + " may only read: this endpoint needs a write "
                    + "token (the API token, or one made with hone token create --scope write)");
        }
        ctx.attribute(WRITER, grant.name());
    }

    /** The name of the token a write let through by {@link #requireWrite} came with ({@link Access#API_TOKEN} for the API token). */
    static String writer(Context ctx) {
        String name = ctx.attribute(WRITER);
        return name == null ? Access.API_TOKEN : name;
    }

    /** Lets a read through when reads are public, or with a token in the header or a session; else 401. */
    void requireRead(Context ctx) {
        if (access.reads() == ReadAccess.PUBLIC) {
            return;
        }
        String header = ctx.header("Authorization");
        if (header != null) {
            access.ofAuthorization(header).orElseThrow(() -> unauthorized(ctx, NOT_A_TOKEN));
        } else if (session(ctx).isEmpty()) {
            throw unauthorized(ctx, READING_NEEDS_A_TOKEN);
        }
    }

    /**
     * True while the request that opened a long answer (an event stream) may still read: reads are public, or its
     * token, in the header or behind its session, is still one of the server's.
     */
    boolean stillReads(Context ctx) {
        if (access.reads() == ReadAccess.PUBLIC) {
            return true;
        }
        String header = ctx.header("Authorization");
        return header != null ? access.ofAuthorization(header).isPresent() : session(ctx).isPresent();
    }

    /** True when the dashboard may show its pages to this browser. */
    boolean mayRead(Context ctx) {
        return access.reads() == ReadAccess.PUBLIC || session(ctx).isPresent();
    }

    /** The token this browser's session signed in with, while it is still one of the server's. */
    Optional<Grant> session(Context ctx) {
        String id = ctx.cookie(Sessions.COOKIE);
        return id == null ? Optional.empty() : sessions.tokenSha256(id).flatMap(access::ofHash);
    }

    /** Opens a session for {@code token} and sets its cookie; empty (nothing set) when it is no token of this server. */
    Optional<Grant> signIn(Context ctx, String token) {
        String sha256 = Signatures.sha256Hex(token);
        Optional<Grant> grant = access.ofHash(sha256);
        grant.ifPresent(g -> cookie(ctx, sessions.open(sha256), Sessions.LIFETIME.toSeconds()));
        return grant;
    }

    /** Ends this browser's session and clears its cookie. */
    void signOut(Context ctx) {
        String id = ctx.cookie(Sessions.COOKIE);
        if (id != null) {
            sessions.close(id);
        }
        cookie(ctx, "", 0);
    }

    /**
     * The session cookie: HTTP-only (no script reads it), SameSite=Strict (no other site's request carries it), and
     * Secure when the request came over HTTPS (directly, or through a proxy that says so in X-Forwarded-Proto).
     */
    private static void cookie(Context ctx, String value, long maxAgeSeconds) {
        boolean https = "https".equalsIgnoreCase(ctx.scheme())
                || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
        ctx.header("Set-Cookie", Sessions.COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds
                + "; HttpOnly; SameSite=Strict" + (https ? "; Secure" : ""));
    }

    private static UnauthorizedResponse unauthorized(Context ctx, String message) {
        ctx.header("WWW-Authenticate", "Bearer");
        return new UnauthorizedResponse(message);
    }
}
