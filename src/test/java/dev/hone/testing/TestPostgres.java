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

    /** Closes the store and drops the database, closing whatever connections are left to it. */
    @Override
    public void close() throws SQLException {
        store.close();
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }
}
