package dev.hone.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hone.server.GitFixture;
import dev.hone.server.QueuePolicy;
import dev.hone.server.Serve;
import dev.hone.server.Tokens;
import dev.hone.store.TokenRow.Scope;
import dev.hone.store.TrialRow;
import dev.hone.testing.Parts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run page's "re-run with a change" in a real headless Chromium against a real {@code hone serve} that ran a real
 * repository: disabled saying why until a write token signs in, then used by keyboard only — a parameter chosen, a
 * value typed, Enter —, the server's refusal of a bad value said beside the field, and a good one queued as a run
 * that trains every trial with it and says what it changed. {@code -Dhone.dashboard.screenshots=docs/img} keeps the
 * README's picture.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RerunPageTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    Serve serve;
    DashboardTest.Chromium browser;
    long original;

    @BeforeAll
    void start() throws Exception {
        Path chromium = DashboardTest.Chromium.find();
        Parts.require(chromium != null, "Chromium (apt-get install chromium; .ci/chromium.sh)");
        GitFixture repo = new GitFixture(tmp, "tuned");
        serve = new Serve(tmp.resolve("data"), List.of(Serve.webhooks(repo.url(), "s")), QueuePolicy.of(1));
        original = RerunApiTest.trained(serve, repo);
        browser = new DashboardTest.Chromium(chromium, Files.createDirectories(tmp.resolve("chromium")));
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (serve != null) {
            serve.close();
        }
    }

    @AfterEach
    void pagesNeverShowTheTokenNorFailInTheBrowser() {
        if (browser != null) {
            assertThat(browser.html()).doesNotContain(Serve.TOKEN);
            assertThat(browser.errors()).as("errors in the browser's console").isEmpty();
        }
    }

    @Test
    void disabledSayingWhyThenByKeyboardABadValueIsExplainedAndAGoodOneTrainsAReRunThatSaysWhatChanged() {
        browser.open(serve.base + "/runs/" + original, "document.querySelector('#rerun-why a')");
        assertThat(browser.eval("document.querySelector('#rerun-why').textContent").asText())
                .isEqualTo("To re-run with a change, sign in with a write token (the dashboard holds no token of its "
                        + "own).");
        assertThat(browser.eval("['#rerun-param', '#rerun-value', 'form.rerun-change button']"
                + ".every(s => document.querySelector(s).disabled)").asBoolean()).isTrue();
        assertThat(browser.eval("[...document.querySelector('#rerun-param').options].map(o => o.text).join(' ')")
                .asText()).isEqualTo("lr depth kernel");
        assertThat(browser.eval("document.querySelector('#rerun-param').labels[0].textContent + '/' "
                + "+ document.querySelector('#rerun-value').labels[0].textContent").asText()).isEqualTo("Parameter/value");

        signIn();
        browser.await("!document.querySelector('#rerun-value').disabled");
        assertThat(browser.eval("document.querySelector('#rerun-why').textContent").asText())
                .isEqualTo("Run " + original + "'s commit again with one parameter fixed; the others are tuned as "
                        + "before.");
        assertThat(browser.eval("document.querySelector('#rerun-hint').textContent").asText())
                .isEqualTo("a number from 0.001 to 0.1 (log scale)");

        browser.tabTo("#rerun-param");
        browser.press("ArrowDown");
        browser.await("document.querySelector('#rerun-param').value === 'depth'");
        assertThat(browser.eval("document.querySelector('#rerun-hint').textContent").asText())
                .isEqualTo("a whole number from 1 to 4");
        browser.press("ArrowUp");
        browser.await("document.querySelector('#rerun-param').value === 'lr'");
        browser.press("Tab");
        browser.await("document.activeElement.id === 'rerun-value'");
        browser.type("0.5");
        browser.press("Enter");
        browser.await("document.querySelector('#rerun-status').classList.contains('error')");
        assertThat(browser.eval("document.querySelector('#rerun-status').textContent").asText())
                .isEqualTo("re-run of run " + original + ": tune.params.lr = 0.5 is outside its range, 0.001 to 0.1: "
                        + "give a value in it, or a new range: {\"lr\": {\"min\": 0.001, \"max\": 0.5}}");
        browser.await("document.activeElement.id === 'rerun-value' "
                + "&& document.activeElement.getAttribute('aria-invalid') === 'true'");
        browser.screenshot("run-rerun", "section.rerun");

        browser.eval("document.querySelector('#rerun-value').select(); true");
        browser.type("0.01");
        browser.press("Enter");
        browser.await("/^Run #[0-9]+ queued: re-run of run " + original + " with lr = 0\\.01\\.$/"
                + ".test(document.querySelector('#rerun-status').textContent)");
        long rerun = browser.eval("Number(document.querySelector('#rerun-status a').textContent.slice(5))").asLong();
        assertThat(rerun).isGreaterThan(original);
        serve.awaitRun(r -> r.id() == rerun && r.finishedAt() != null, 60);
        assertThat(serve.store.trials(rerun)).hasSize(3)
                .allSatisfy(t -> assertThat(t.trial().params()).containsEntry("lr", 0.01));

        browser.open(serve.base + "/runs/" + rerun, "document.querySelector('table.grid tbody tr')");
        browser.await("[...document.querySelectorAll('dl.facts dt')].some(dt => dt.textContent === 're-run of')");
        assertThat(browser.eval("[...document.querySelectorAll('dl.facts dt')].find(dt => dt.textContent === "
                + "'re-run of').nextElementSibling.textContent").asText()).isEqualTo("run " + original
                + " with lr = 0.01");
        assertThat(browser.eval("[...document.querySelectorAll('dl.facts dt')].find(dt => dt.textContent === "
                + "'re-run of').nextElementSibling.querySelector('a').getAttribute('href')").asText())
                .isEqualTo("/runs/" + original);
        int lr = browser.eval("[...document.querySelectorAll('table.grid thead button')].findIndex(b => "
                + "b.dataset.column === 'param:lr')").asInt();
        assertThat(browser.eval("[...document.querySelectorAll('table.grid tbody tr')].map(tr => tr.cells[" + lr
                + "].textContent).join(' ')").asText()).isEqualTo("0.01 0.01 0.01");
        assertThat(serve.store.trials(original).stream().map(TrialRow::trial)
                .filter(t -> Double.valueOf(0.01).equals(t.params().get("lr")))).isEmpty();
    }

    private void signIn() {
        String token = new Tokens(serve.store.installation(), new SecureRandom(), InstantSource.system())
                .create("dash", Scope.WRITE);
        browser.open(serve.base + "/login?next=%2Fruns%2F" + original, "document.querySelector('#token')");
        browser.eval("document.querySelector('#token').value = " + DashboardTest.Chromium.quote(token) + "; true");
        browser.eval("document.querySelector('form.login button').click(); true");
        browser.await("location.pathname === '/runs/" + original + "' && document.querySelector('#rerun-value')");
    }
}
