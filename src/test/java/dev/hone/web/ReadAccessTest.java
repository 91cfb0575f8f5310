package dev.hone.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.server.Serve;
import dev.hone.server.Tokens;
import dev.hone.spec.ServerSpec.ReadAccess;
import dev.hone.store.TokenRow;
import dev.hone.store.TokenRow.Scope;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code read_access} against a real {@code hone serve} over real HTTP: with {@code token}, the API's reads and the
 * dashboard's pages need a token or a signed-in session; writes need a write token in the header; with
 * {@code public}, reads are open as before.
 */
class ReadAccessTest {

    static final String NO_TOKEN = "{\"error\":\"reading needs a token on this server (read_access: token): send "
            + "Authorization: Bearer <token>, or sign in at /login\"}";
    static final String NOT_A_TOKEN = "{\"error\":\"the bearer token is not a token of this server: use the API "
            + "token or one made with hone token create\"}";
    static final Pattern SESSION = Pattern.compile(
            "hone_session=([A-Za-z0-9_-]{43}); Path=/; Max-Age=43200; HttpOnly; SameSite=Strict");

    @TempDir
    Path tmp;
    Serve serve;

    @AfterEach
    void stop() {
        if (serve != null) {
            serve.close();
        }
    }

    String create(String name, Scope scope) {
        return new Tokens(serve.store.installation(), new SecureRandom(), InstantSource.system()).create(name, scope);
    }

    static String bearer(String token) {
        return "Bearer " + token;
    }

    /** Signs in with {@code token}; returns the Cookie header value of the session. */
    String signIn(String token) {
        HttpResponse<String> in = serve.post("/login", "{\"token\": \"" + token + "\"}");
        assertThat(in.statusCode()).as(in.body()).isEqualTo(200);
        Matcher cookie = SESSION.matcher(in.headers().firstValue("Set-Cookie").orElseThrow());
        assertThat(cookie.matches()).as(in.headers().firstValue("Set-Cookie").orElseThrow()).isTrue();
        return "hone_session=" + cookie.group(1);
    }

    @Nested
    class WithToken {

        @BeforeEach
        void start() {
            serve = new Serve(tmp, ReadAccess.TOKEN);
        }

        @Test
        void theApiRefusesReadsWithoutATokenAndSaysHowToSendOne() {
            for (String path : new String[] {"/api/runs", "/api/projects", "/api/runs/1/logs?trial=1",
                    "/api/repositories"}) {
                HttpResponse<String> none = serve.get(path);
                assertThat(none.statusCode()).as(path).isEqualTo(401);
                assertThat(none.body()).as(path).isEqualTo(NO_TOKEN);
                assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            }
            HttpResponse<String> wrong = serve.get("/api/runs", "Authorization", bearer("hone_nope"));
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.body()).isEqualTo(NOT_A_TOKEN);
        }

        @Test
        void aReadTokenReadsButCannotWriteAndItsUseIsRecorded() {
            String ci = create("ci", Scope.READ);

            assertThat(serve.get("/api/runs", "Authorization", bearer(ci)).statusCode()).isEqualTo(200);
            HttpResponse<String> write = serve.post("/api/runs", "{\"project\": \"x\"}", "Authorization", bearer(ci));

            assertThat(write.statusCode()).isEqualTo(403);
            assertThat(write.body()).isEqualTo("{\"error\":\"the token ci may only read: this endpoint needs a write "
                    + "token (the API token, or one made with hone token create --scope write)\"}");
            assertThat(serve.store.installation().tokens()).singleElement().extracting(TokenRow::lastUsedAt)
                    .isNotNull();
        }

        @Test
        void aWriteTokenAndTheApiTokenReadAndWrite() {
            String deploy = create("deploy", Scope.WRITE);

            for (String token : new String[] {deploy, Serve.TOKEN}) {
                assertThat(serve.get("/api/runs", "Authorization", bearer(token)).statusCode()).isEqualTo(200);
                assertThat(serve.post("/api/runs", "{\"project\": \"x\"}", "Authorization", bearer(token))
                        .statusCode()).as("accepted: the project is unknown").isEqualTo(404);
            }
        }

        @Test
        void aRevokedTokenIsRefusedAtOnce() {
            String ci = create("ci", Scope.READ);
            assertThat(serve.get("/api/runs", "Authorization", bearer(ci)).statusCode()).isEqualTo(200);

            new Tokens(serve.store.installation(), new SecureRandom(), InstantSource.system()).revoke("ci");

            HttpResponse<String> after = serve.get("/api/runs", "Authorization", bearer(ci));
            assertThat(after.statusCode()).isEqualTo(401);
            assertThat(after.body()).isEqualTo(NOT_A_TOKEN);
        }

        @Test
        void aPageOfTheDashboardSendsABrowserWithoutSessionToTheLoginPageAndBack() {
            HttpResponse<String> page = serve.get("/runs/5?offset=50");

            assertThat(page.statusCode()).isEqualTo(303);
            assertThat(page.headers().firstValue("Location")).hasValue("/login?next=%2Fruns%2F5%3Foffset%3D50");
            assertThat(page.body()).doesNotContain("<script");
            HttpResponse<String> login = serve.get("/login");
            assertThat(login.statusCode()).isEqualTo(200);
            assertThat(login.headers().firstValue("Content-Security-Policy").orElseThrow())
                    .startsWith("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'");
            assertThat(serve.get("/app.js").statusCode()).isEqualTo(200);
            assertThat(serve.get("/health").statusCode()).as("liveness needs no token").isEqualTo(200);
            assertThat(serve.get("/metrics").statusCode()).as("metrics name no project").isEqualTo(200);
        }

        @Test
        void signingInSetsAnHttpOnlyStrictSessionCookieThatReadsButNeverWrites() {
            String ci = create("ci", Scope.WRITE);
            String session = signIn(ci);

            assertThat(serve.get("/runs", "Cookie", session).statusCode()).isEqualTo(200);
            assertThat(serve.get("/api/runs", "Cookie", session).statusCode()).isEqualTo(200);
            assertThat(serve.get("/session", "Cookie", session).body())
                    .isEqualTo("{\"read_access\":\"token\",\"signed_in\":true,\"name\":\"ci\",\"scope\":\"write\"}");
            HttpResponse<String> write = serve.post("/api/runs", "{\"project\": \"x\"}", "Cookie", session);
            assertThat(write.statusCode()).as("a session never writes").isEqualTo(401);
            assertThat(write.body()).isEqualTo("{\"error\":\"this endpoint needs the API token: send Authorization: "
                    + "Bearer <token>\"}");
        }

        @Test
        void signingInRefusesWhatIsNoTokenAndAFormOfAnotherSite() {
            HttpResponse<String> wrong = serve.post("/login", "{\"token\": \"hone_nope\"}");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.body()).isEqualTo("{\"error\":\"that is not a token of this server: use the API token "
                    + "or one made with hone token create\"}");
            assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();

            HttpResponse<String> form = serve.send(HttpRequest.newBuilder(URI.create(serve.base + "/login"))
                    .POST(HttpRequest.BodyPublishers.ofString("token=" + Serve.TOKEN))
                    .header("Content-Type", "application/x-www-form-urlencoded"));
            assertThat(form.statusCode()).isEqualTo(415);
            assertThat(form.body()).isEqualTo("{\"error\":\"send the token as JSON: {\\\"token\\\": \\\"<token>\\\"} "
                    + "with Content-Type: application/json\"}");
        }

        @Test
        void behindAnHttpsProxyTheCookieIsSecure() {
            HttpResponse<String> in = serve.post("/login", "{\"token\": \"" + Serve.TOKEN + "\"}",
                    "X-Forwarded-Proto", "https");

            assertThat(in.headers().firstValue("Set-Cookie").orElseThrow()).matches(SESSION.pattern() + "; Secure");
        }

        @Test
        void signingOutOrRevokingTheTokenEndsTheSession() {
            String ci = create("ci", Scope.READ);
            String first = signIn(ci);
            String second = signIn(ci);

            HttpResponse<String> out = serve.post("/logout", "", "Cookie", first);
            assertThat(out.headers().firstValue("Set-Cookie"))
                    .hasValue("hone_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
            assertThat(serve.get("/api/runs", "Cookie", first).statusCode()).isEqualTo(401);
            assertThat(serve.get("/api/runs", "Cookie", second).statusCode()).isEqualTo(200);

            new Tokens(serve.store.installation(), new SecureRandom(), InstantSource.system()).revoke("ci");

            assertThat(serve.get("/api/runs", "Cookie", second).statusCode()).isEqualTo(401);
            assertThat(serve.get("/runs", "Cookie", second).statusCode()).isEqualTo(303);
        }
    }

    @Nested
    class Public {

        @Test
        void readsNeedNoTokenAndPagesNoSignInButWritesStillDo() {
            serve = new Serve(tmp, ReadAccess.PUBLIC);

            assertThat(serve.get("/api/runs").statusCode()).isEqualTo(200);
            assertThat(serve.get("/runs").statusCode()).isEqualTo(200);
            assertThat(serve.get("/session").body())
                    .isEqualTo("{\"read_access\":\"public\",\"signed_in\":false,\"name\":null,\"scope\":null}");
            assertThat(serve.post("/api/runs", "{\"project\": \"x\"}", new String[0]).statusCode()).isEqualTo(401);
        }

        @Test
        void onALoopbackAddressReadsArePublicByDefault() {
            serve = new Serve(tmp, null);

            assertThat(serve.get("/api/runs").statusCode()).isEqualTo(200);
        }
    }
}
