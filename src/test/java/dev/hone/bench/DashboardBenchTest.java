package dev.hone.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.App;
import dev.hone.testing.Parts;
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
 * round and reported (the figures' size is the bench's).
 */
class DashboardBenchTest {

    @TempDir
    Path work;

    final DashboardBench.Options options = new DashboardBench.Options(300, 40, 10, 2);
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
                .contains("; run 301 has 40 trials):\n  newest 50 runs              p95 ");
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
