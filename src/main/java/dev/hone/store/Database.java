package dev.hone.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.ds.PGSimpleDataSource;
import org.postgresql.util.PSQLException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteException;

/**
 * One connection to the store's database, migrated at open, used by one caller at a time. Serialising calls in
 * the process keeps SQLite's writers from contending with each other; other processes on the same file wait on
 * the busy timeout, and every SQLite write transaction starts with {@code BEGIN IMMEDIATE} so that waiting is
 * done up front instead of failing halfway through. Every failure becomes a {@link StoreException} naming the
 * operation and the location.
 */
final class Database implements AutoCloseable {

    static final int BUSY_TIMEOUT_MS = 5000;
    /** SQLite's primary result codes that say what stands in the way of opening a store. */
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    private static final int SQLITE_CORRUPT = 11;
    private static final int SQLITE_NOTADB = 26;

    private final StoreLocation location;
    private final DataSource dataSource;
    private final Jdbi jdbi;
    private final ReentrantLock lock = new ReentrantLock();
    private Connection connection; // guarded by lock; reopened when the server closed it
    private boolean closed; // guarded by lock
    private final RunChanges changes = new RunChanges();

    private Database(StoreLocation location, DataSource dataSource) {
        this.location = location;
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(new Shared());
        Labels.register(jdbi);
    }

    static Database open(StoreLocation location) {
        try {
            DataSource dataSource = switch (location.vendor()) {
                case SQLITE -> sqlite(location.file());
                case POSTGRESQL -> postgresql(location.jdbcUrl());
            };
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations(location.vendor().migrations())
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
            Database database = new Database(location, dataSource);
            database.withHandle("connect", handle -> null);
            return database;
        } catch (StoreException e) {
            throw e;
        } catch (RuntimeException | IOException e) {
            String advice = advice(e);
            String reason = location.redact(reason(e));
            throw new StoreException("cannot open store " + location + ": "
                    + (advice.isEmpty() ? reason : reason.replaceFirst("\\.$", "") + advice), e);
        }
    }

    /** What to do about a store that did not open, when the database's words leave it unsaid. */
    private static String advice(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SQLiteException s) {
                return switch (s.getResultCode().code & 0xff) {
                    case SQLITE_BUSY, SQLITE_LOCKED -> "; another process holds it locked: stop that process and "
                            + "start again";
                    case SQLITE_CORRUPT, SQLITE_NOTADB -> "; the file is not a SQLite database Hone can read: move it "
                            + "aside (a new store is made in its place) or restore it from a backup";
                    default -> "";
                };
            }
            if (t instanceof PSQLException p && p.getSQLState() != null) {
                String state = p.getSQLState();
                if (state.startsWith("08")) {
                    return "; is PostgreSQL running there, and reachable from this machine? check the host and port "
                            + "of store: in hone-server.yaml";
                }
                if (state.startsWith("28")) {
                    return "; check the user and password of store: in hone-server.yaml";
                }
                if (state.equals("3D000")) {
                    return "; create the database (createdb) or name one that exists in store: in hone-server.yaml";
                }
            }
        }
        return "";
    }

    /** Runs {@code work} in one transaction: all of it is stored, or none. */
    <T> T inTransaction(String operation, HandleCallback<T, RuntimeException> work) {
        return call(operation, () -> jdbi.inTransaction(work));
    }

    /** Runs {@code work} outside a transaction (reads). */
    <T> T withHandle(String operation, HandleCallback<T, RuntimeException> work) {
        return call(operation, () -> jdbi.withHandle(work));
    }

    /** Who is told of the runs this process's writes change. */
    RunChanges changes() {
        return changes;
    }

    StoreLocation location() {
        return location;
    }

    /**
     * What ends a {@code SELECT} of rows to claim: on PostgreSQL {@code FOR UPDATE SKIP LOCKED}, so that controllers
     * claiming at once each take other rows instead of waiting on each other; on SQLite nothing (its write
     * transactions run one at a time).
     */
    String skipLocked() {
        return location.vendor() == StoreLocation.Vendor.POSTGRESQL ? " FOR UPDATE SKIP LOCKED" : "";
    }

    /** A connection of the store's own, outside the shared one: the caller closes it. */
    Connection connect() throws SQLException {
        return dataSource.getConnection();
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            if (connection != null) {
                connection.close();
                connection = null;
            }
        } catch (SQLException e) {
            throw failure("close store", e);
        } finally {
            lock.unlock();
        }
    }

    private <T> T call(String operation, Supplier<T> body) {
        lock.lock();
        try {
            if (closed) {
                throw failure(operation, "the store is closed");
            }
            return body.get();
        } catch (StoreException e) {
            throw e;
        } catch (RuntimeException e) {
            throw failure(operation, e);
        } finally {
            lock.unlock();
        }
    }

    private StoreException failure(String operation, Exception e) {
        return new StoreException(message(operation, reason(e)), e);
    }

    /** A failure of {@code operation} found by the caller, e.g. {@code failure("finish run 7", "no run 7")}. */
    StoreException failure(String operation, String reason) {
        return new StoreException(message(operation, reason));
    }

    private String message(String operation, String reason) {
        return "cannot " + operation + " in store " + location + ": " + location.redact(reason);
    }

    /** The database's own words: the innermost SQL error's message, without the statement JDBI adds. */
    private static String reason(Throwable e) {
        Throwable sql = null;
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SQLException) {
                sql = t;
            }
        }
        Throwable chosen = sql != null ? sql : e;
        String message = chosen.getMessage();
        return message == null || message.isBlank() ? chosen.getClass().getSimpleName() : message.strip();
    }

    private static DataSource sqlite(Path file) throws IOException {
        Path parent = file.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.enforceForeignKeys(true);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource dataSource = new PatientSqliteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file);
        return dataSource;
    }

    /**
     * Opening a connection sets its pragmas (WAL among them), and SQLite may refuse that at once, without the busy
     * timeout, while another process is creating the same file: such a refusal is tried again, as patiently as the
     * busy timeout.
     */
    private static final class PatientSqliteDataSource extends SQLiteDataSource {
        PatientSqliteDataSource(SQLiteConfig config) {
            super(config);
        }

        @Override
        public SQLiteConnection getConnection(String username, String password) throws SQLException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BUSY_TIMEOUT_MS);
            while (true) {
                try {
                    return super.getConnection(username, password);
                } catch (SQLiteException e) {
                    if ((e.getResultCode().code & 0xff) != SQLITE_BUSY || System.nanoTime() > deadline) {
                        throw e;
                    }
                    pause(e);
                }
            }
        }

        private static void pause(SQLiteException busy) throws SQLException {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw busy;
            }
        }
    }

    private static DataSource postgresql(String url) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url); // user and password come from the URL's parameters
        return dataSource;
    }

    /** Hands JDBI the one connection and keeps it open between handles; called only under the lock. */
    private final class Shared implements ConnectionFactory {
        @Override
        public Connection openConnection() throws SQLException {
            if (connection == null || connection.isClosed()) {
                connection = dataSource.getConnection();
            }
            return connection;
        }

        @Override
        public void closeConnection(Connection ignored) {
            // kept for the next call; closed by Database.close()
        }
    }
}
