package dev.hone.testing;

import dev.hone.store.Store;
import dev.hone.store.Stores;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A throwaway database on the real PostgreSQL server of {@code HONE_TEST_POSTGRES} ({@code .ci/postgres.sh} starts
 * one and prints its URL): {@link #create} makes it and opens Hone's store on it (the test is skipped without a
 * server, or fails under CI); {@link #close} closes the store and drops the database.
 */
public final class TestPostgres implements AutoCloseable {

    /** What PostgreSQL answers when a connection to drop is another role's (an autovacuum worker's). */
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    private final String admin;
    private final String database;
    private final Store store;

    private TestPostgres(String admin, String database) {
        this.admin = admin;
        this.database = database;
        this.store = Stores.open(url());
    }

    /** Hone's store on the database, migrated from scratch. */
    public Store store() {
        return store;
    }

    /** A new, empty database. */
    public static TestPostgres create() throws SQLException {
        String admin = System.getenv("HONE_TEST_POSTGRES");
        Parts.require(admin != null && !admin.isBlank(), "a PostgreSQL server in HONE_TEST_POSTGRES (.ci/postgres.sh)");
        String database = "hone_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        return new TestPostgres(admin, database);
    }

    /** The server's JDBC URL, as {@code HONE_TEST_POSTGRES} gives it (its {@code postgres} database). */
    public String admin() {
        return admin;
    }

    /** The database's name. */
    public String database() {
        return database;
    }

    /** The database's JDBC URL. */
    public String url() {
        return admin.replaceFirst("/[^/?]+\\?", "/" + database + "?");
    }

    /**
     * Closes the store and drops the database, closing whatever connections are left to it. The server's
     * autovacuum may be visiting the new database, and its worker is not ours to end: the drop is tried again until
     * the worker is done (it takes milliseconds on a database this small).
     */
    @Override
    public void close() throws SQLException, InterruptedException {
        store.close();
        for (int attempt = 1; ; attempt++) {
            try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                return;
            } catch (SQLException e) {
                if (!INSUFFICIENT_PRIVILEGE.equals(e.getSQLState()) || attempt == 100) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }
}
