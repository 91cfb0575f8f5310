package dev.hone.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.App;
import dev.hone.testing.Parts;
import java.nio.file.Files;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hone bench dashboard} on a small history, SQLite and PostgreSQL: every request kind is measured in every
 * round and reported (the figures' size is the bench's); and the page of a run of many trials opened in headless
 * Chromium, each opening's drawing time reported.
 */
class DashboardBenchTest {

    @TempDir
    Path work;

    final DashboardBench.Options options = new DashboardBench.Options(300, 40, 10, 2, 0, null);
    final PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    final App app = new App(System.getenv(), quiet, quiet, InstantSource.system(), new Random(1));

    @Test
    void aSmallSqliteHistoryReportsEachRequestKindPerRound() {
        DashboardBench.Result result = new DashboardBench(app).sqlite(options, work);

        assertThat(result.bigRun()).isEqualTo(301);
        assertThat(result.rounds()).containsOnlyKeys("newest 50 runs", "newest 50 of one project",
                "50 runs before the middle", "50 runs at offset 50000", "every trial of the big run");
        assertThat(result.rounds().values()).allSatisfy(rounds -> assertThat(rounds).hasSize(2)
                .allSatisfy(r -> assertThat(r.p50()).isPositive().isLessThanOrEqualTo(r.p95())));
        assertThat(DashboardBench.report(options, List.of(result)))
                .startsWith("dashboard: GET /api/runs over 300 runs (100 projects, 3 trials each), loopback HTTP, "
                        + "10 requests per round after 2 warm-up, 2 rounds\nSQLite (seeded in ")
                .contains("; run 301 has 40 trials):\n  newest 50 runs              p95 ")
                .endsWith("\n  run page of run 302 not opened (--opens 0: no browser)\n");
    }

    @Test
    void theRunPageOfManyTrialsIsOpenedInChromiumAndItsDrawingTimesReported() {
        Parts.require(Files.isExecutable(Path.of("/usr/bin/chromium")), "Chromium at /usr/bin/chromium "
                + "(apt-get install chromium; .ci/chromium.sh)");
        DashboardBench.Options opening = new DashboardBench.Options(300, 500, 2, 1, 2, null);

        DashboardBench.Result result = new DashboardBench(app).sqlite(opening, work);

        assertThat(result.pageRun()).isEqualTo(302);
        assertThat(result.drawnMs()).hasSize(2).allSatisfy(ms -> assertThat(ms).isPositive());
        assertThat(DashboardBench.report(opening, List.of(result)).lines().toList().getLast())
                .matches("  run page of run 302 \\(500 trials\\) drawn in headless Chromium, 2 openings: "
                        + "median \\d+ ms, p95 \\d+ ms, max \\d+ ms  \\(each: \\d+, \\d+\\)");
    }

    @Test
    void aChromiumThatIsNotThereIsAClearError() {
        DashboardBench.Options missing = new DashboardBench.Options(300, 40, 2, 1, 2, work.resolve("no-chromium"));

        assertThatThrownBy(() -> new DashboardBench(app).sqlite(missing, work)).hasMessage("benchmark: --chromium "
                + work.resolve("no-chromium") + " is not an executable file; give the path of a Chromium or Chrome "
                + "binary, or skip the run page with --opens 0");
    }

    @Test
    void aSmallPostgresHistoryIsMeasuredOnADatabaseDroppedAfter() {
        String server = System.getenv("HONE_TEST_POSTGRES");
        Parts.require(server != null && !server.isBlank(), "a PostgreSQL server in HONE_TEST_POSTGRES (.ci/postgres.sh)");

        DashboardBench.Result result = new DashboardBench(app).postgres(server, options, work);

        assertThat(result.store()).isEqualTo("PostgreSQL");
        assertThat(result.rounds().get("every trial of the big run")).hasSize(2);
    }
}
