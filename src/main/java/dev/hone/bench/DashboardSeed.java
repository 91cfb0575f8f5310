package dev.hone.bench;

import dev.hone.error.HoneException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;

/**
 * Fills a migrated, empty store (SQLite file or PostgreSQL database) with the history a busy installation reaches,
 * in a few batched transactions: {@code runs} ended runs spread over {@code projects} projects, each with
 * {@code trialsPerRun} trials; and {@link #bigRun} one run with many trials and their intermediate values, for the
 * run page's timing. Values follow a seeded formula, so two seeds of the same size hold the same rows.
 */
public final class DashboardSeed {

    private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");
    private static final int BATCH = 5_000;

    private final String jdbcUrl;

    /** @param jdbcUrl {@code jdbc:sqlite:FILE} or {@code jdbc:postgresql://…} of a store Hone has migrated */
    public DashboardSeed(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    /** Adds the projects {@code p000…} and {@code runs} runs round-robin over them; returns the newest run's id. */
    public long runs(int runs, int projects, int trialsPerRun) {
        try (Connection c = DriverManager.getConnection(jdbcUrl)) {
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO projects (id, name, created_at) VALUES (?, ?, ?)")) {
                for (int i = 0; i < projects; i++) {
                    p.setLong(1, i + 1);
                    p.setString(2, project(i));
                    p.setLong(3, EPOCH.toEpochMilli());
                    p.addBatch();
                }
                p.executeBatch();
            }
            try (PreparedStatement r = c.prepareStatement("""
                    INSERT INTO runs (id, project_id, source, commit_sha, branch, author, message, status,
                                      metric_name, metric_direction, metric_target, best_trial, created_at, finished_at)
                    VALUES (?, ?, ?, ?, 'main', 'Bench <bench@hone.invalid>', ?, ?, 'accuracy', 'maximize', 0.95, ?,
                            ?, ?)""");
                 PreparedStatement t = c.prepareStatement("""
                    INSERT INTO trials (run_id, number, params_json, state, value, exit_code, duration_ms,
                                        started_at)
                    VALUES (?, ?, ?, 'succeeded', ?, 0, 1000, ?)""")) {
                for (int i = 1; i <= runs; i++) {
                    long created = EPOCH.toEpochMilli() + i * 60_000L;
                    r.setLong(1, i);
                    r.setLong(2, (i - 1) % projects + 1);
                    r.setString(3, "https://git.example.com/" + project((i - 1) % projects) + ".git");
                    r.setString(4, String.format(Locale.ROOT, "%040x", (long) i * 2654435761L));
                    r.setString(5, "change " + i);
                    r.setString(6, i % 3 == 0 ? "target_reached" : "target_missed");
                    r.setInt(7, trialsPerRun == 0 ? 0 : 1 + i % trialsPerRun);
                    r.setLong(8, created);
                    r.setLong(9, created + 30_000);
                    r.addBatch();
                    for (int n = 1; n <= trialsPerRun; n++) {
                        t.setLong(1, i);
                        t.setInt(2, n);
                        t.setString(3, "{\"c\": " + n + "}");
                        t.setDouble(4, value(i, n));
                        t.setLong(5, created + n * 1000L);
                        t.addBatch();
                    }
                    if (i % BATCH == 0 || i == runs) {
                        r.executeBatch();
                        t.executeBatch();
                    }
                }
            }
            c.commit();
            return runs;
        } catch (SQLException e) {
            throw new HoneException("benchmark could not seed the store at " + masked() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Adds run {@code id} of the first project with {@code trials} trials of three parameters, each with
     * {@code steps} intermediate values (every 7th trial pruned after a third of them); returns its id.
     */
    public long bigRun(long id, int trials, int steps) {
        try (Connection c = DriverManager.getConnection(jdbcUrl)) {
            c.setAutoCommit(false);
            long created = EPOCH.toEpochMilli();
            try (PreparedStatement r = c.prepareStatement("""
                    INSERT INTO runs (id, project_id, source, commit_sha, branch, status, metric_name,
                                      metric_direction, metric_target, best_trial, created_at, finished_at)
                    VALUES (?, 1, 'bench', ?, 'main', 'target_missed', 'accuracy', 'maximize', 0.99, 1, ?, ?)""");
                 PreparedStatement t = c.prepareStatement("""
                    INSERT INTO trials (run_id, number, params_json, state, value, exit_code, duration_ms, started_at)
                    VALUES (?, ?, ?, ?, ?, 0, 1000, ?)""");
                 PreparedStatement m = c.prepareStatement(
                         "INSERT INTO metric_points (run_id, trial_number, step, value) VALUES (?, ?, ?, ?)")) {
                r.setLong(1, id);
                r.setString(2, String.format(Locale.ROOT, "%040x", id));
                r.setLong(3, created);
                r.setLong(4, created + trials * 1000L);
                r.executeUpdate();
                for (int n = 1; n <= trials; n++) {
                    double lr = Math.pow(10, -4 + 3 * ((n * 0.618034) % 1));
                    int layers = 1 + n % 4;
                    double dropout = (n * 104729 % 5000) / 10000.0;
                    boolean pruned = n % 7 == 0;
                    t.setLong(1, id);
                    t.setInt(2, n);
                    t.setString(3, String.format(Locale.ROOT, "{\"lr\": %.6g, \"layers\": %d, \"dropout\": %.4f}",
                            lr, layers, dropout));
                    t.setString(4, pruned ? "pruned" : "succeeded");
                    t.setDouble(5, value(id, n));
                    t.setLong(6, created + n * 1000L);
                    t.addBatch();
                    int last = pruned ? steps / 3 : steps;
                    for (int s = 1; s <= last; s++) {
                        m.setLong(1, id);
                        m.setInt(2, n);
                        m.setLong(3, s);
                        m.setDouble(4, value(id, n) * s / steps);
                        m.addBatch();
                    }
                    if (n % 500 == 0 || n == trials) {
                        t.executeBatch();
                        m.executeBatch();
                    }
                }
            }
            c.commit();
            return id;
        } catch (SQLException e) {
            throw new HoneException("benchmark could not seed the store at " + masked() + ": " + e.getMessage(), e);
        }
    }

    static String project(int i) {
        return String.format(Locale.ROOT, "p%03d", i);
    }

    /** A trial's value: in [0.5, 0.95), the same for the same run and trial. */
    private static double value(long run, int trial) {
        long x = (run * 31 + trial) * 0x9E3779B97F4A7C15L;
        return 0.5 + 0.45 * ((x >>> 11) / (double) (1L << 53));
    }

    private String masked() {
        return jdbcUrl.replaceAll("password=[^&]*", "password=***");
    }
}
