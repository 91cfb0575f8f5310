package dev.hone.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hone.run.RunStatus;
import dev.hone.server.Serve;
import dev.hone.server.Tokens;
import dev.hone.spec.ServerSpec.ReadAccess;
import dev.hone.store.NewRun;
import dev.hone.store.TokenRow.Scope;
import dev.hone.testing.Parts;
import dev.hone.tune.Trial;
import dev.hone.tune.TrialState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard of a {@code hone serve} whose reads need a token, in a real headless Chromium: it asks for a token,
 * signs in with an HTTP-only, SameSite=Strict session cookie, keeps the token in no URL and no storage, and signs
 * out.
 */
class DashboardLoginTest {

    @TempDir
    Path tmp;
    Serve serve;
    DashboardTest.Chromium browser;
    Tokens tokens;
    String token;

    @BeforeEach
    void start() throws Exception {
        Path chromium = DashboardTest.Chromium.find();
        Parts.require(chromium != null, "Chromium (apt-get install chromium; .ci/chromium.sh)");
        serve = new Serve(tmp.resolve("data"), ReadAccess.TOKEN);
        tokens = new Tokens(serve.store.installation(), new SecureRandom(), InstantSource.system());
        token = tokens.create("ci", Scope.READ);
        browser = new DashboardTest.Chromium(chromium, Files.createDirectories(tmp.resolve("chromium")));
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (serve != null) {
            serve.close();
        }
    }

    /** Types {@code text} into the token field and submits the form, as a person would. */
    void signInWith(String text) {
        browser.eval("document.getElementById('token').value = " + DashboardTest.JSON.valueToTree(text)
                + "; document.querySelector('form.login').requestSubmit(); true");
    }

    @Test
    void aPageAsksForATokenThenShowsItselfWithTheTokenInNoUrlNorStorage() {
        browser.go(serve.base + "/runs");
        browser.await("location.pathname === '/login' && document.querySelector('form.login')");
        assertThat(browser.eval("location.search").asText()).isEqualTo("?next=%2Fruns");

        signInWith("hone_not-a-token");
        browser.await("document.querySelector('main p.error').textContent !== ''");
        assertThat(browser.eval("document.querySelector('main p.error').textContent").asText())
                .isEqualTo("that is not a token of this server: use the API token or one made with hone token "
                        + "create");
        browser.screenshot("login");
        assertThat(browser.forgetErrors()).as("the refused sign-in in the console")
                .allMatch(error -> error.contains("401"));

        signInWith(token);
        browser.await("location.pathname === '/runs' && document.querySelector('main h1')?.textContent === "
                + "'All runs' && document.querySelector('header button.signout')");

        assertThat(browser.eval("document.querySelector('main p.muted').textContent").asText())
                .isEqualTo("No runs yet.");
        browser.screenshot("signed-in");
        assertThat(browser.eval("document.cookie").asText()).as("no script sees the session").isEmpty();
        assertThat(browser.eval("localStorage.length + sessionStorage.length").asInt()).isZero();
        assertThat(browser.eval("[location.href, ...performance.getEntries().map(e => e.name)]"))
                .isNotEmpty().allSatisfy(url -> assertThat(url.asText()).doesNotContain(token));
        assertThat(browser.html()).doesNotContain(token);
        JsonNode cookie = browser.cookies().get(0);
        assertThat(browser.cookies()).hasSize(1);
        assertThat(cookie.get("name").asText()).isEqualTo("hone_session");
        assertThat(cookie.get("value").asText()).isNotEqualTo(token).hasSize(43);
        assertThat(cookie.get("httpOnly").asBoolean()).isTrue();
        assertThat(cookie.get("sameSite").asText()).isEqualTo("Strict");
        assertThat(cookie.get("path").asText()).isEqualTo("/");
        assertThat(browser.errors()).isEmpty();
    }

    @Test
    void signingOutEndsTheSessionAndTheNextPageAsksAgain() {
        browser.go(serve.base + "/");
        browser.await("document.querySelector('form.login')");
        signInWith(token);
        browser.await("location.pathname === '/' && document.querySelector('header button.signout')");
        assertThat(browser.eval("document.querySelector('header button.signout').title").asText())
                .isEqualTo("signed in with the token ci");

        browser.eval("document.querySelector('header button.signout').click(); true");

        browser.await("location.pathname === '/login' && document.querySelector('form.login')");
        assertThat(browser.eval("fetch('/api/runs').then(r => r.status)").asInt()).isEqualTo(401);
        assertThat(browser.cookies()).isEmpty();
        browser.forgetErrors();
        browser.go(serve.base + "/runs");
        browser.await("location.pathname === '/login' && document.querySelector('form.login')");
    }

    @Test
    void aPageWhoseSessionEndsWhileOpenAsksForATokenAndComesBack() {
        long id = serve.store.createRun(new NewRun("live", tmp.toString(), null, null, null, null, null,
                Instant.now()));
        String run = "location.pathname === '/runs/" + id + "' && document.querySelector('main h1')";
        browser.go(serve.base + "/runs/" + id);
        browser.await("document.querySelector('form.login')");
        signInWith(token);
        browser.await(run + " && !document.getElementById('live').hidden");

        tokens.revoke("ci"); // the page, polling its live run, is refused from its next refresh on

        browser.await("location.pathname === '/login' && document.querySelector('form.login')");
        assertThat(browser.eval("location.search").asText()).isEqualTo("?next=%2Fruns%2F" + id);
        assertThat(browser.forgetErrors()).as("the refused refresh in the console").isNotEmpty()
                .allMatch(error -> error.contains("401"));
        signInWith(tokens.create("ops", Scope.READ));
        browser.await(run + " && document.querySelector('header button.signout')");
        assertThat(browser.eval("document.querySelector('header button.signout').title").asText())
                .isEqualTo("signed in with the token ops");
        serve.store.finishRun(id, RunStatus.CANCELLED, null, Instant.now());
    }

    @Test
    void aLogOpenedAfterTheSessionEndedAsksForATokenAndComesBack() throws IOException {
        long id = serve.store.createRun(new NewRun("done", tmp.toString(), null, null, null, null, null,
                Instant.now()));
        Path log = Files.createDirectories(serve.data.resolve("runs/" + id + "/trials/1")).resolve("train.log");
        Files.writeString(log, "accuracy=0.5\n");
        serve.store.saveTrial(id, new Trial(1, Map.of(), TrialState.SUCCEEDED, 0.5, List.of(), 0, 10, null, ""),
                Instant.now(), log.toString());
        serve.store.finishRun(id, RunStatus.SUCCEEDED, 1, Instant.now());
        String button = "document.querySelector('tr[data-trial=\"1\"]')";
        browser.go(serve.base + "/runs/" + id);
        browser.await("document.querySelector('form.login')");
        signInWith(token);
        browser.await("location.pathname === '/runs/" + id + "' && " + button);

        tokens.revoke("ci");
        browser.eval(button + ".click(); true");

        browser.await("location.pathname === '/login' && document.querySelector('form.login')");
        assertThat(browser.eval("location.search").asText()).isEqualTo("?next=%2Fruns%2F" + id);
        browser.forgetErrors();
    }

    @Test
    void aLinkFromAnotherSiteReachesThePageOfABrowserSignedIn() {
        browser.go(serve.base + "/runs");
        browser.await("document.querySelector('form.login')");
        signInWith(token);
        browser.await("location.pathname === '/runs' && document.querySelector('main h1')");
        String elsewhere = serve.base.replace("127.0.0.1", "localhost"); // another site: its links carry no cookie
        browser.go(elsewhere + "/login");
        browser.await("location.host.startsWith('localhost') && document.querySelector('form.login')");

        browser.eval("const a = document.createElement('a'); a.href = " + DashboardTest.JSON.valueToTree(
                serve.base + "/runs") + "; document.body.append(a); a.click(); true");

        browser.await("location.host.startsWith('127.0.0.1') && location.pathname === '/runs' && "
                + "document.querySelector('main h1')?.textContent === 'All runs'");
        browser.forgetErrors();
    }
}
