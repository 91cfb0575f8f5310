package dev.hone.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hone.run.RunStatus;
import dev.hone.server.GitFixture;
import dev.hone.server.QueuePolicy;
import dev.hone.server.Serve;
import dev.hone.server.Tokens;
import dev.hone.store.NewRun;
import dev.hone.store.TokenRow.Scope;
import dev.hone.tune.Trial;
import dev.hone.testing.Parts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A project's views in a real headless Chromium against a real {@code hone serve} that ran a real repository's three
 * commits (the second one worse): the history across commits with the regression flagged, runs compared, the model
 * downloaded, actions from a signed-in session, and the page following the store by its event stream — each checked
 * by what a person sees, and by keyboard. {@code -Dhone.dashboard.screenshots=docs/img} keeps the README's pictures.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProjectViewsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    Serve serve;
    DashboardTest.Chromium browser;
    GitFixture repo;
    final List<Long> runs = new ArrayList<>();
    final List<String> commits = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        Path chromium = DashboardTest.Chromium.find();
        Parts.require(chromium != null, "Chromium (apt-get install chromium; .ci/chromium.sh)");
        repo = new GitFixture(tmp, "digits");
        serve = new Serve(tmp.resolve("data"), List.of(Serve.webhooks(repo.url(), "s")), QueuePolicy.of(1));
        double[] bases = {0.78, 0.67, 0.945};
        String[] grids = {"[1, 2]", "[1, 3]", "[1, 2]"};
        for (int i = 0; i < bases.length; i++) {
            repo.write("main.py", """
                    import os, pathlib
                    c = int(os.environ["HONE_PARAM_C"])
                    pathlib.Path(os.environ["HONE_OUTPUT"], "model.txt").write_text("weights c=%%d" %% c)
                    print("accuracy=%%.3f" %% (%s + 0.01 * c))
                    """.formatted(bases[i])).write("hone.yaml", """
                    metric: {name: accuracy, target: 0.95}
                    tune: {strategy: grid, params: {c: %s}, max_trials: 2}
                    """.formatted(grids[i]));
            String sha = repo.commit("Change " + (i + 1) + (i == 1 ? ": a smaller grid" : ""));
            repo.push("main");
            commits.add(sha);
            long id = JSON.readTree(serve.post("/api/runs", "{\"project\": \"digits\", \"commit\": \"" + sha + "\"}")
                    .body()).get("id").asLong();
            serve.awaitRun(r -> r.id() == id && r.finishedAt() != null, 60);
            runs.add(id);
        }
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
    @Order(1)
    void theHistoryFlagsTheRunThatFellBelowThePreviousBestInWordsAndAClickOpensIt() {
        browser.open(serve.base + "/projects/digits", "document.querySelectorAll('.history-table tbody tr').length === 3"
                + " && document.querySelector('.history-chart .u-over')");

        JsonNode rows = browser.eval("[...document.querySelectorAll('.history-table tbody tr')]"
                + ".map(r => [...r.cells].map(c => c.textContent.trim()))");
        assertThat(rows.get(0).get(0).asText()).isEqualTo("#" + runs.get(2));
        assertThat(rows.get(1).get(0).asText()).isEqualTo("#" + runs.get(1));
        assertThat(rows.get(1).get(1).asText()).isEqualTo(commits.get(1).substring(0, 8) + " Change 2: a smaller grid");
        assertThat(rows.get(1).get(3).asText()).isEqualTo("0.7");
        assertThat(rows.get(1).get(4).asText()).isEqualTo("▼ regression: below run #" + runs.get(0) + "'s 0.8");
        assertThat(rows.get(0).get(4).asText()).isEmpty();
        assertThat(browser.eval("document.querySelector('.history-summary').textContent").asText())
                .isEqualTo("1 of 3 runs fell below the previous run's best");
        assertThat(browser.eval("document.querySelector('.history-chart').getAttribute('aria-label')").asText())
                .isEqualTo("best accuracy of each run by commit, oldest first; 1 regressions; the table below lists "
                        + "the same");
        assertThat(browser.eval("document.querySelector('.history-chart').uplot.data[2]").toString())
                .as("the ringed series holds the regression only").isEqualTo("[null,0.7,null]");
        browser.screenshot("history");

        browser.eval("(() => { const u = document.querySelector('.history-chart').uplot;"
                + " const box = u.over.getBoundingClientRect();"
                + " const at = {bubbles: true, clientX: box.left + u.valToPos(1, 'x'),"
                + " clientY: box.top + u.valToPos(0.7, 'y')};"
                + " u.over.dispatchEvent(new MouseEvent('mousemove', at));"
                + " u.over.dispatchEvent(new MouseEvent('mousedown', at));"
                + " u.over.dispatchEvent(new MouseEvent('mouseup', at));"
                + " u.over.dispatchEvent(new MouseEvent('click', at)); return true; })()");
        browser.await("location.pathname === '/runs/" + runs.get(1) + "'");
    }

    @Test
    @Order(2)
    void pickingTwoRunsByKeyboardComparesTheirTrialsBestParamsAndHoneYaml() {
        browser.open(serve.base + "/projects/digits", "document.querySelectorAll('input.pick').length === 3");
        assertThat(browser.eval("[...document.querySelectorAll('input.pick')].map(i => i.getAttribute('aria-label'))")
                .toString()).isEqualTo("[\"compare run " + runs.get(2) + "\",\"compare run " + runs.get(1)
                + "\",\"compare run " + runs.get(0) + "\"]");
        tabTo("input.pick[value='" + runs.get(1) + "']");
        browser.press(" ");
        tabTo("input.pick[value='" + runs.get(0) + "']");
        browser.press(" ");
        tabTo("button.compare");
        assertThat(browser.eval("document.activeElement.textContent").asText()).isEqualTo("Compare 2 runs");
        browser.press("Enter");
        browser.await("location.pathname === '/compare' && document.querySelector('table.best-params tbody tr')"
                + " && document.querySelector('pre.diff')");

        assertThat(browser.eval("location.search").asText()).isEqualTo("?runs=" + runs.get(1) + "," + runs.get(0));
        JsonNode best = browser.eval("[...document.querySelectorAll('table.best-params tr')]"
                + ".map(r => [...r.cells].map(c => c.textContent.trim()))");
        assertThat(best.get(0).toString()).isEqualTo("[\"parameter\",\"#" + runs.get(1) + " "
                + commits.get(1).substring(0, 8) + "\",\"#" + runs.get(0) + " " + commits.get(0).substring(0, 8) + "\"]");
        assertThat(best.get(1).toString()).isEqualTo("[\"c (differs)\",\"3\",\"2\"]");
        assertThat(best.get(2).toString()).isEqualTo("[\"best accuracy\",\"0.7\",\"0.8\"]");
        assertThat(browser.eval("[...document.querySelectorAll('pre.diff .line')].map(l => l.className + '|'"
                + " + l.lastChild.previousSibling.textContent)").toString()).isEqualTo("["
                + "\"line hunk|@@ -1,2 +1,2 @@\","
                + "\"line same| metric: {name: accuracy, target: 0.95}\","
                + "\"line del|-tune: {strategy: grid, params: {c: [1, 3]}, max_trials: 2}\","
                + "\"line add|+tune: {strategy: grid, params: {c: [1, 2]}, max_trials: 2}\"]");
        assertThat(browser.eval("document.querySelector('.compare-chart').uplot.series.map(s => s.label)").toString())
                .isEqualTo("[\"trial\",\"run #" + runs.get(1) + " " + commits.get(1).substring(0, 8) + "\",\"run #"
                        + runs.get(0) + " " + commits.get(0).substring(0, 8) + "\"]");
        // the second run starts warm: its first trial runs again the first run's best parameters still in its grid
        // (c = 1; c = 2 is not in [1, 3]), then the grid goes on with c = 3
        assertThat(browser.eval("document.querySelector('.compare-chart').uplot.data.slice(1)").toString())
                .isEqualTo("[[0.68,0.7],[0.79,0.8]]");
        browser.screenshot("compare");
    }

    @Test
    @Order(3)
    void theModelDownloadsAsATarGzFromItsLink() {
        browser.open(serve.base + "/projects/digits", "document.querySelector('a.download')");

        assertThat(browser.eval("document.querySelector('a.download').textContent").asText())
                .isEqualTo("Download the current model (.tar.gz)");
        JsonNode head = browser.eval("fetch(document.querySelector('a.download').href).then(r => r.arrayBuffer())"
                + ".then(b => [b.byteLength, ...new Uint8Array(b).slice(0, 2)])");
        assertThat(head.get(0).asInt()).isGreaterThan(20);
        assertThat(head.get(1).asInt()).as("gzip's magic").isEqualTo(0x1f);
        assertThat(head.get(2).asInt()).isEqualTo(0x8b);
    }

    @Test
    @Order(4)
    void withoutAWriteSessionActionsAreDisabledSayingWhyAndSignedInAReRunAppearsWithoutReload() {
        browser.open(serve.base + "/projects/digits", "document.querySelector('#actions-why')");
        assertThat(browser.eval("document.querySelector('#actions-why').textContent").asText())
                .isEqualTo("To run a branch now, cancel or re-run, sign in with a write token (the dashboard holds no "
                        + "token of its own).");
        assertThat(browser.eval("[...document.querySelectorAll('button.rerun')].every(b => b.disabled)").asBoolean())
                .isTrue();

        String token = new Tokens(serve.store.installation(), new SecureRandom(), InstantSource.system())
                .create("dash", Scope.WRITE);
        browser.open(serve.base + "/login?next=%2Fprojects%2Fdigits", "document.querySelector('#token')");
        browser.eval("document.querySelector('#token').value = " + quote(token) + "; true");
        browser.eval("document.querySelector('form.login button').click(); true");
        browser.await("location.pathname === '/projects/digits' && document.querySelector('form.run-branch')");
        browser.eval("window.notReloaded = true");
        int before = browser.eval("document.querySelectorAll('main table.runs tbody tr').length").asInt();

        browser.eval("document.querySelector('button.rerun[aria-label^=\"re-run commit " + commits.get(0)
                .substring(0, 8) + "\"]').click(); true");
        browser.await("/^Re-run " + commits.get(0).substring(0, 8) + ": run #[0-9]+ queued\\.$/"
                + ".test(document.querySelector('#action-status').textContent)");
        browser.await("document.querySelectorAll('main table.runs tbody tr').length === " + (before + 1));
        long rerun = serve.awaitRun(r -> r.commit() != null && r.commit().equals(commits.get(0))
                && !runs.contains(r.id()), 10).id();
        serve.awaitRun(r -> r.id() == rerun && r.finishedAt() != null, 60);
        browser.await("document.querySelector('main table.runs tbody tr').cells[2].textContent === 'target_missed'");
        assertThat(browser.eval("window.notReloaded === true").asBoolean()).as("updated by its event stream").isTrue();
        browser.screenshot("actions");
    }

    @Test
    @Order(5)
    void aTrialEndAppearsInAnOpenPageWithoutReload() {
        long id = serve.store.createRun(new NewRun("live", null, "0123456789abcdef0123456789abcdef01234567", "main",
                null, "Live", null, Instant.now()));
        serve.store.saveTrial(id, Trial.running(1, Map.of("c", 1)), Instant.now(), null);
        browser.open(serve.base + "/projects/live", "document.querySelector('main table.runs tbody tr')");
        browser.eval("window.notReloaded = true");
        assertThat(browser.eval("document.getElementById('live').hidden").asBoolean()).isFalse();

        serve.store.saveTrial(id, Trial.succeeded(1, Map.of("c", 1), 0.91, List.of(), 10), Instant.now(), null);
        serve.store.recordBest(id, 1);
        browser.await("document.querySelector('main table.runs tbody tr').cells[6].textContent === '0.91 · trial 1'");
        serve.store.finishRun(id, RunStatus.TARGET_MISSED, 1, Instant.now());
        browser.await("document.querySelector('main table.runs tbody tr').cells[2].textContent === 'target_missed'"
                + " && document.getElementById('live').hidden");
        assertThat(browser.eval("window.notReloaded === true").asBoolean()).isTrue();
        assertThat(browser.eval("String(window.setInterval).includes('native')").asBoolean()).isTrue();
    }

    /** Presses Tab until {@code selector} has the focus (at most 80 times), as a keyboard user would. */
    private void tabTo(String selector) {
        for (int i = 0; i < 80; i++) {
            if (browser.eval("document.activeElement.matches(" + quote(selector) + ")").asBoolean()) {
                return;
            }
            browser.press("Tab");
        }
        throw new AssertionError("Tab never reached " + selector + "; the focus is on "
                + browser.eval("document.activeElement.outerHTML").asText());
    }

    private static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
