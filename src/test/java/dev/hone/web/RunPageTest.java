package dev.hone.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hone.metrics.MetricPoint;
import dev.hone.run.RunStatus;
import dev.hone.run.Usage;
import dev.hone.server.QueuePolicy;
import dev.hone.server.Serve;
import dev.hone.spec.Spec;
import dev.hone.store.NewRun;
import dev.hone.testing.Parts;
import dev.hone.tune.Direction;
import dev.hone.tune.Trial;
import dev.hone.tune.TrialState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's page in a real headless Chromium: the trials grid (a column per parameter and metric, sorting, filters, the
 * trial opened from it) and the charts (value by trial, learning curves, parallel coordinates, slices, importance),
 * over a run seeded in the store whose answers are known: loss = 10·x1 + x2 (minimized), an optimizer that changes
 * nothing, every seventh trial pruned, one outlier. With {@code -Dhone.dashboard.screenshots=docs/img} it redraws the
 * README's pictures of these views.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunPageTest {

    static final int TRIALS = 40;
    static final int OUTLIER = 40;
    static final int WITH_EDITS = 5;
    static final List<String> OPTIMIZERS = List.of("adam", "rmsprop", "sgd");

    @TempDir
    static Path tmp;
    Serve serve;
    DashboardTest.Chromium browser;
    long run;
    int best;
    final Map<Integer, Trial> trials = new LinkedHashMap<>();

    static boolean pruned(int n) {
        return n % 7 == 0;
    }

    @BeforeAll
    void start() throws Exception {
        Path chromium = DashboardTest.Chromium.find();
        Parts.require(chromium != null, "Chromium (apt-get install chromium; .ci/chromium.sh)");
        serve = new Serve(tmp.resolve("data"), List.of(), QueuePolicy.of(1));
        Instant at = Instant.parse("2026-12-05T10:00:00Z");
        run = serve.store.createRun(new NewRun("mnist", "/src/mnist", "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
                "main", "Ana Dev <ana@example.com>", "Tune the learning rate", null,
                new Spec.Metric("loss", Direction.MINIMIZE, 0.5), at));
        for (int n = 1; n <= TRIALS; n++) {
            double x1 = ((n * 37) % TRIALS) / (double) TRIALS;
            double x2 = ((n * 13) % TRIALS) / (double) TRIALS;
            Map<String, Object> params = Map.of("x1", x1, "x2", x2, "optimizer", OPTIMIZERS.get(n % 3));
            double loss = n == OUTLIER ? 1000 : 10 * x1 + x2;
            List<MetricPoint> curve = new ArrayList<>();
            for (int step = 1; step <= (pruned(n) ? 2 : 5); step++) {
                curve.add(new MetricPoint(step, loss * (1 + (5 - step) / 5.0)));
            }
            Trial trial = pruned(n)
                    ? new Trial(n, params, TrialState.PRUNED, null, curve, null, 400, "pruned at step 2 by the "
                    + "median rule", "", Map.of())
                    : new Trial(n, params, TrialState.SUCCEEDED, loss, curve, 0, 1000 + n, null, "",
                    Map.of("loss", loss, "accuracy", 1 - loss / 20)).withResources(new Usage(Duration.ofMillis(1000 + n),
                    Duration.ofMillis(900 + n), 100_000_000L + n * 1_000_000L, null, null, "/proc"));
            trials.put(n, trial);
            Path log = null;
            if (n == WITH_EDITS) {
                log = Files.createDirectories(serve.data.resolve("runs/" + run + "/trials/" + n)).resolve("train.log");
                Files.writeString(log, "epoch 1 loss=13.75\nepoch 5 loss=6.875\n");
            }
            serve.store.saveTrial(run, trial, at.plusSeconds(n), log == null ? null : log.toString());
        }
        best = trials.values().stream().filter(Trial::hasValue).min(Comparator.comparingDouble(Trial::value))
                .orElseThrow().number();
        serve.store.finishRun(run, RunStatus.TARGET_MISSED, best, at.plusSeconds(100));
        Path trialDir = serve.data.resolve("runs/" + run + "/trials/" + WITH_EDITS);
        Files.createDirectories(trialDir.resolve("output/checkpoints"));
        Files.writeString(trialDir.resolve("workspace.diff"), """
                diff --git a/train.py b/train.py
                --- a/train.py
                +++ b/train.py
                @@ -1,2 +1,2 @@
                 import torch
                -lr = 0.1
                +lr = 0.01
                """);
        Files.writeString(trialDir.resolve("output/model.txt"), "weights");
        Files.writeString(trialDir.resolve("output/checkpoints/step-5.txt"), "step 5");
        Files.writeString(tmp.resolve("secret.txt"), "not for the dashboard");
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
    void theBrowserSawNoError() {
        if (browser != null) {
            assertThat(browser.errors()).as("errors in the browser's console").isEmpty();
        }
    }

    void open() {
        browser.open(serve.base + "/runs/" + run, "document.querySelectorAll('main table.grid tbody tr').length > 0"
                + " && typeof plots !== 'undefined' && plots.value");
    }

    List<String> column(String heading) {
        int index = headings().indexOf(heading);
        assertThat(index).as("the column " + heading).isNotNegative();
        List<String> cells = new ArrayList<>();
        browser.eval("[...document.querySelectorAll('main table.grid tbody tr')].map(r => r.cells[" + index
                + "].textContent)").forEach(cell -> cells.add(cell.asText()));
        return cells;
    }

    List<String> headings() {
        List<String> names = new ArrayList<>();
        browser.eval("[...document.querySelectorAll('main table.grid thead th')].map(th => th.textContent)")
                .forEach(th -> names.add(th.asText()));
        return names;
    }

    @Test
    void theGridHasAColumnPerParameterAndMetricWithNumbersAlike() {
        open();

        assertThat(headings()).containsExactly("#", "state", "loss", "optimizer", "x1", "x2", "accuracy", "duration",
                "CPU s", "peak memory");
        assertThat(column("#")).hasSize(TRIALS).first().isEqualTo("1");
        Trial first = trials.get(1);
        assertThat(column("x1").get(0)).isEqualTo("%.3f".formatted((Double) first.params().get("x1")));
        assertThat(column("loss").get(0)).as("loss to the decimals its values need, at most four digits")
                .isEqualTo("%.3f".formatted(first.value()));
        assertThat(column("loss").get(6)).as("a pruned trial has no value").isEqualTo("—");
        assertThat(browser.eval("getComputedStyle(document.querySelector('main table.grid td.num')).textAlign")
                .asText()).isEqualTo("right");
        assertThat(browser.eval("getComputedStyle(document.querySelector('main table.grid th')).whiteSpace").asText())
                .as("names scroll rather than wrap").isEqualTo("nowrap");
        assertThat(browser.eval("getComputedStyle(document.querySelector('.trials .scroll')).overflowX").asText())
                .isEqualTo("auto");
        assertThat(browser.eval("document.querySelector('tr.best').dataset.trial").asInt()).isEqualTo(best);
        assertThat(browser.eval("document.querySelector('tr.best').getAttribute('aria-label')").asText())
                .isEqualTo("trial " + best + ", the best: open");
        browser.screenshot("run-grid", "div.trials");
    }

    @Test
    void aHeaderSortsByClickOrByTabAndEnterAndSaysSoToAScreenReader() {
        open();
        List<String> ascending = trials.values().stream().sorted(Comparator.comparingDouble(
                t -> (Double) t.params().get("x2"))).map(t -> "%.3f".formatted((Double) t.params().get("x2"))).toList();

        browser.eval("document.querySelector('th button[data-column=\"param:x1\"]').focus()");
        browser.press("Tab");
        assertThat(browser.eval("document.activeElement.dataset.column").asText()).isEqualTo("param:x2");
        browser.press("Enter");

        browser.await("document.querySelector('th[aria-sort=\"ascending\"] button')?.dataset.column === 'param:x2'");
        assertThat(column("x2")).isEqualTo(ascending);
        assertThat(browser.eval("document.activeElement.dataset.column").asText()).as("focus stays on the header")
                .isEqualTo("param:x2");
        browser.press("Enter");
        browser.await("document.querySelector('th[aria-sort=\"descending\"] button')?.dataset.column === 'param:x2'");
        assertThat(column("x2")).isEqualTo(ascending.reversed());

        browser.eval("document.querySelector('th button[data-column=\"value\"]').click()");
        browser.await("document.querySelector('th[aria-sort=\"ascending\"] button')?.dataset.column === 'value'");
        assertThat(column("#").get(0)).as("lowest loss first").isEqualTo(Integer.toString(best));
        assertThat(column("loss").subList(TRIALS - 5, TRIALS)).as("trials without a value last").containsOnly("—");
        assertThat(browser.eval("document.querySelectorAll('th[aria-sort=\"none\"]').length").asInt())
                .isEqualTo(headings().size() - 1);
        browser.eval("document.querySelector('th button[data-column=\"number\"]').click()");
    }

    @Test
    void filtersByStateAndByValueRange() {
        open();

        browser.eval("(s => { s.value = 'pruned'; s.dispatchEvent(new Event('change')); })"
                + "(document.querySelector('select[name=state]'))");
        browser.await("document.querySelectorAll('main table.grid tbody tr').length === 5");
        assertThat(column("#")).containsExactly("7", "14", "21", "28", "35");
        assertThat(browser.eval("document.querySelector('.filters [role=status]').textContent").asText())
                .isEqualTo("5 of 40 trials");

        browser.eval("(s => { s.value = ''; s.dispatchEvent(new Event('change')); })"
                + "(document.querySelector('select[name=state]'))");
        browser.eval("(i => { i.value = '2'; i.dispatchEvent(new Event('input')); })"
                + "(document.querySelector('input[name=min]'))");
        browser.eval("(i => { i.value = '5'; i.dispatchEvent(new Event('input')); })"
                + "(document.querySelector('input[name=max]'))");
        long inRange = trials.values().stream().filter(t -> t.value() != null && t.value() >= 2 && t.value() <= 5)
                .count();
        browser.await("document.querySelectorAll('main table.grid tbody tr').length === " + inRange);
        assertThat(column("loss")).allSatisfy(v -> assertThat(Double.parseDouble(v)).isBetween(2.0, 5.0));

        browser.eval("(i => { i.value = ''; i.dispatchEvent(new Event('input')); })"
                + "(document.querySelector('input[name=min]'))");
        browser.eval("(i => { i.value = ''; i.dispatchEvent(new Event('input')); })"
                + "(document.querySelector('input[name=max]'))");
        browser.await("document.querySelectorAll('main table.grid tbody tr').length === " + TRIALS);
    }

    @Test
    void enterOnATrialOpensItsParametersMetricsUseEditsFilesAndLog() {
        open();

        browser.eval("document.querySelector('tr[data-trial=\"" + WITH_EDITS + "\"]').focus()");
        browser.press("Enter");

        browser.await("document.querySelector('#trial ul.files li') && document.querySelector('#trial pre.diff')");
        // the page loading again (each event of its stream) keeps the open trial's files and edits on the page
        assertThat(browser.eval("runPage('" + run + "').then(() => !!document.querySelector('#trial pre.diff'))")
                .asBoolean()).isTrue();
        Trial trial = trials.get(WITH_EDITS);
        assertThat(browser.eval("document.querySelector('#trial h2').textContent").asText())
                .isEqualTo("Trial " + WITH_EDITS + " succeeded");
        JsonNode facts = browser.eval("Object.fromEntries([...document.querySelectorAll('#trial dt')]"
                + ".map(dt => [dt.textContent, dt.nextElementSibling.textContent]))");
        assertThat(facts.get("parameters").asText()).isEqualTo("optimizer=%s, x1=%s, x2=%s".formatted(
                trial.params().get("optimizer"), trial.params().get("x1"), trial.params().get("x2")));
        assertThat(facts.get("resources").asText()).isEqualTo("1.0 s wall · 0.9 s CPU · 100 MiB peak");
        assertThat(browser.eval("[...document.querySelectorAll('#trial table.metrics tbody tr')]"
                + ".map(r => [...r.cells].map(c => c.textContent).join(' '))")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("loss " + (10 * 0.625 + 0.625) + " 5",
                        "accuracy " + (1 - (10 * 0.625 + 0.625) / 20) + " 0");
        assertThat(browser.eval("[...document.querySelectorAll('#trial pre.diff span')]"
                + ".map(s => s.className + ' ' + s.textContent.trim())")).extracting(JsonNode::asText)
                .contains("del -lr = 0.1", "add +lr = 0.01", "hunk @@ -1,2 +1,2 @@", "ctx import torch");
        assertThat(browser.eval("[...document.querySelectorAll('#trial ul.files a')].map(a => a.textContent)"))
                .extracting(JsonNode::asText).containsExactly("checkpoints/step-5.txt", "model.txt");
        String href = browser.eval("document.querySelector('#trial ul.files a').getAttribute('href')").asText();
        assertThat(serve.get(href).body()).isEqualTo("step 5");
        assertThat(browser.eval("document.querySelector('#log h2').textContent").asText())
                .isEqualTo("Log of trial " + WITH_EDITS);
        browser.await("document.querySelector('pre.log').textContent === 'epoch 1 loss=13.75\\nepoch 5 loss=6.875\\n'");
        assertThat(browser.eval("document.querySelector('tr.open').dataset.trial").asInt()).isEqualTo(WITH_EDITS);
        browser.screenshot("run-trial", "#trial");
    }

    @Test
    void aTrialsFilesStayInsideItsOutputDirectory() {
        String files = "/api/runs/" + run + "/trials/" + WITH_EDITS + "/files/";
        for (String escape : List.of("..%2F..%2F..%2F..%2F..%2Fsecret.txt", "%2E%2E/%2E%2E/workspace.diff",
                "checkpoints%2F..%2F..%2Fworkspace.diff")) {
            var answer = serve.get(files + escape);
            assertThat(answer.statusCode()).as(escape).isIn(400, 404);
            assertThat(answer.body()).as(escape).doesNotContain("not for the dashboard", "lr = 0.01");
        }
        assertThat(serve.get(files + "missing.txt").body()).contains("trial " + WITH_EDITS + " of run " + run
                + " has no output file missing.txt: GET …/files lists what it kept");
        assertThat(serve.get("/api/runs/" + run + "/trials/1/files").body()).isEqualTo("[]");
        assertThat(serve.get("/api/runs/" + run + "/trials/1/diff").statusCode()).isEqualTo(204);
        assertThat(serve.get("/api/runs/" + run + "/trials/99/files").body()).contains("run " + run + " has no trial 99");
    }

    @Test
    void theImportanceApiRanksTheParametersAndSaysWhenThereAreTooFewTrials() throws Exception {
        JsonNode importance = DashboardTest.JSON.readTree(serve.get("/api/runs/" + run + "/importance").body());

        assertThat(importance.get("method").asText()).isEqualTo("ped-anova");
        assertThat(importance.get("trials").asInt()).isEqualTo(35);
        assertThat(importance.get("params")).extracting(p -> p.get("name").asText()).startsWith("x1", "x2")
                .containsExactlyInAnyOrder("x1", "x2", "optimizer");
        assertThat(importance.get("params").get(0).get("importance").asDouble()).isGreaterThan(0.5);

        long few = serve.store.createRun(new NewRun("few", "/src/few", null, null, null, null, null,
                new Spec.Metric("loss", Direction.MINIMIZE, null), Instant.parse("2026-12-05T10:00:00Z")));
        serve.store.saveTrial(few, Trial.succeeded(1, Map.of("x", 1), 0.5, List.of(), 10),
                Instant.parse("2026-12-05T10:00:00Z"), null);
        JsonNode none = DashboardTest.JSON.readTree(serve.get("/api/runs/" + few + "/importance").body());
        assertThat(none.get("params")).isEmpty();
        assertThat(none.get("note").asText())
                .isEqualTo("importance needs at least 10 succeeded trials; run " + few + " has 1");
    }

    @Test
    void theValueChartShowsEveryValueTheBestSoFarAndTheTargetWithTheOutlierClippedToAMarker() {
        open();

        int values = (int) trials.values().stream().filter(Trial::hasValue).count();
        assertThat(browser.eval("plots.value.series.map(s => s.label)")).extracting(JsonNode::asText)
                .containsExactly("trial", "loss", "best so far", "target 0.5", "clipped");
        assertThat(browser.eval("plots.value.data[1].filter(v => v != null).length").asInt()).isEqualTo(values - 1);
        assertThat(browser.eval("plots.value.data[4].filter(v => v != null).length").asInt()).as("the outlier")
                .isEqualTo(1);
        assertThat(browser.eval("plots.value.scales.y.max").asDouble()).as("the outlier does not squash the rest")
                .isLessThan(100);
        assertThat(browser.eval("plots.value.data[2].at(-1)").asDouble()).isEqualTo(trials.get(best).value());
        assertThat(browser.eval("[...document.querySelectorAll('.uplot .u-axis')].length > 0").asBoolean()).isTrue();
        assertThat(browser.eval("document.querySelector('figure[data-chart=value] figcaption').textContent").asText())
                .contains("1 outlier beyond the robust range (3 IQR) drawn at its edge");
        assertThat(browser.eval("document.querySelector('figure[data-chart=value] .plot').getAttribute('aria-label')")
                .asText()).isEqualTo("loss by trial number");

        browser.eval("document.querySelector('input[name=log-scale]').click()");
        browser.await("plots.value.scales.y.distr === 3");
        browser.eval("document.querySelector('input[name=log-scale]').click()");
        browser.await("plots.value.scales.y.distr === 1");
        browser.screenshot("run-value", "figure[data-chart=value]");
    }

    @Test
    void learningCurvesShowEveryTrialAndPrunedOnesEndEarly() {
        open();

        assertThat(browser.eval("plots.curves.series.length - 1").asInt()).isEqualTo(TRIALS);
        assertThat(browser.eval("plots.curves.data[0]")).extracting(JsonNode::asInt).containsExactly(1, 2, 3, 4, 5);
        JsonNode prunedCurve = browser.eval("plots.curves.data[plots.curves.series.findIndex(s => s.label === "
                + "'trial 7')]");
        assertThat(prunedCurve.get(1).isNull()).isFalse();
        assertThat(prunedCurve.get(2).isNull()).as("cut short at step 2").isTrue();
        assertThat(browser.eval("plots.curves.series.find(s => s.label === 'trial 7')._stroke ?? "
                + "plots.curves.series.find(s => s.label === 'trial 7').stroke()").asText()).isEqualTo("#b42318");
        browser.screenshot("run-curves", "figure[data-chart=curves]");
    }

    @Test
    void parallelCoordinatesKeepOnlyTheBrushedTrials() {
        open();
        browser.await("document.querySelector('canvas.parallel').dataset.kept");

        assertThat(browser.eval("plots.parallel.axes")).extracting(JsonNode::asText)
                .containsExactly("optimizer", "x1", "x2", "loss");
        int valued = (int) trials.values().stream().filter(Trial::hasValue).count();
        assertThat(browser.eval("document.querySelector('canvas.parallel').dataset.kept").asInt()).isEqualTo(valued);

        browser.eval("plots.parallel.brush('x1', 0, 0.5)");

        long low = trials.values().stream().filter(t -> t.hasValue() && (Double) t.params().get("x1") <= 0.975 / 2)
                .count();
        assertThat(browser.eval("document.querySelector('canvas.parallel').dataset.kept").asInt()).isEqualTo(low);
        assertThat(browser.eval("document.querySelector('p.brushed').textContent").asText())
                .isEqualTo(low + " of " + valued + " trials in the selected ranges");
        browser.screenshot("run-parallel", "figure[data-chart=parallel]");
        browser.eval("document.querySelector('canvas.parallel').focus()");
        // the page loads again on each event of its stream (the first, "ready", right after it opens): the chart is
        // drawn anew, and the keyboard stays on it
        browser.eval("runPage('" + run + "').then(() => document.activeElement.matches('canvas.parallel'))");
        assertThat(browser.eval("document.activeElement.matches('canvas.parallel')").asBoolean()).isTrue();
        browser.press("Escape");
        assertThat(browser.eval("document.querySelector('canvas.parallel').dataset.kept").asInt()).isEqualTo(valued);
    }

    @Test
    void parallelCoordinatesAreBrushedByKeyboardAndSayWhichAxisAndRange() {
        open();
        browser.await("document.querySelector('canvas.parallel').dataset.kept");
        browser.tabTo("canvas.parallel");
        List<Trial> valued = trials.values().stream().filter(Trial::hasValue).toList();
        double x1Max = valued.stream().mapToDouble(t -> (Double) t.params().get("x1")).max().orElseThrow();

        browser.press("ArrowRight");
        assertKeyboardBrush(valued.size(), valued.size() + " trials; axis optimizer: no range selected");
        browser.press("ArrowRight");
        assertKeyboardBrush(valued.size(), valued.size() + " trials; axis x1: no range selected");
        browser.press("ArrowDown");
        browser.press("Shift+ArrowUp");
        browser.press("ArrowUp");
        long inRange = valued.stream().map(t -> (Double) t.params().get("x1") / x1Max).filter(f -> f >= 0.1 && f <= 0.4)
                .count();
        assertKeyboardBrush(inRange, inRange + " of " + valued.size() + " trials in the selected ranges; axis x1: 0.0975"
                + " to 0.39");
        assertThat(browser.eval("document.querySelector('canvas.parallel').getAttribute('aria-label')").asText())
                .isEqualTo("parallel coordinates: optimizer, x1, x2, loss; " + inRange + " of " + valued.size()
                        + " trials in the selected ranges; axis x1: 0.0975 to 0.39; drag along an axis to select a "
                        + "range, or Left and Right choose an axis, Up and Down select a range on it and move it, "
                        + "Shift with Up or Down moves its top, Delete clears the axis, Escape clears all");

        browser.press("Delete");
        assertKeyboardBrush(valued.size(), valued.size() + " trials; axis x1: no range selected");

        browser.press("ArrowUp");
        browser.press("ArrowLeft");
        browser.press("ArrowDown");
        long adamHigh = valued.stream().filter(t -> t.params().get("optimizer").equals("adam")
                && (Double) t.params().get("x1") / x1Max >= 0.8).count();
        assertKeyboardBrush(adamHigh, adamHigh + " of " + valued.size() + " trials in the selected ranges; axis "
                + "optimizer: adam");
        browser.press("Escape");
        assertKeyboardBrush(valued.size(), valued.size() + " trials; axis optimizer: no range selected");
    }

    private void assertKeyboardBrush(long kept, String status) {
        browser.await("document.querySelector('p.brushed').textContent === " + DashboardTest.Chromium.quote(status)
                + " && document.querySelector('canvas.parallel').dataset.kept === '" + kept + "'");
    }

    @Test
    void slicesPlotTheValueAgainstEachParameterAndImportanceRanksThem() {
        open();
        browser.await("document.querySelectorAll('table.importance tbody tr').length === 3");

        int valued = (int) trials.values().stream().filter(Trial::hasValue).count();
        assertThat(browser.eval("Object.keys(plots).filter(k => k.startsWith('slice:'))")).extracting(JsonNode::asText)
                .containsExactly("slice:optimizer", "slice:x1", "slice:x2");
        assertThat(browser.eval("plots['slice:x1'].data[1].length").asInt()).isEqualTo(valued);
        assertThat(browser.eval("[...document.querySelectorAll('figure[data-chart=slices] .plot')]"
                + ".map(p => p.getAttribute('aria-label'))")).extracting(JsonNode::asText)
                .containsExactly("loss against optimizer", "loss against x1", "loss against x2");
        assertThat(browser.eval("[...document.querySelectorAll('table.importance tbody tr')]"
                + ".map(r => r.cells[0].textContent)")).extracting(JsonNode::asText).first().isEqualTo("x1");
        assertThat(browser.eval("document.querySelector('table.importance meter').getAttribute('aria-label')")
                .asText()).startsWith("x1: ");
        browser.screenshot("run-slices", "figure[data-chart=slices]");
        browser.screenshot("run-importance", "section.importance");
    }

    @Test
    void aRunOfFiveThousandTrialsOpensWithAPageOfTheGridAndEveryTrialCharted() {
        long big = serve.store.createRun(new NewRun("big", "/src/big", null, null, null, null, null,
                new Spec.Metric("loss", Direction.MINIMIZE, 0.1), Instant.parse("2026-12-05T10:00:00Z")));
        IntStream.rangeClosed(1, 5000).forEach(n -> serve.store.saveTrial(big, Trial.succeeded(n,
                Map.of("x1", (n * 7919 % 5000) / 5000.0, "x2", (n * 104729 % 5000) / 5000.0, "layers", n % 4),
                (n * 7919 % 5000) / 500.0 + (n * 104729 % 5000) / 5000.0,
                List.of(new MetricPoint(1, 2.0 * n), new MetricPoint(2, 1.0 * n)), 1000),
                Instant.parse("2026-12-05T10:00:00Z").plusSeconds(n), null));
        serve.store.finishRun(big, RunStatus.TARGET_MISSED, 1, Instant.parse("2026-12-05T12:00:00Z"));

        // how fast it opens is measured by a benchmark, not asserted here: these machines are shared and noisy
        browser.open(serve.base + "/runs/" + big, "performance.getEntriesByName('hone:run-drawn').length");

        assertThat(browser.eval("document.querySelectorAll('main table.grid tbody tr').length").asInt())
                .isEqualTo(100);
        assertThat(browser.eval("document.querySelector('.filters .pager').textContent").asText())
                .isEqualTo("← previous rows 1–100 next →");
        assertThat(browser.eval("plots.value.data[1].length").asInt()).isEqualTo(5000);
    }
}
