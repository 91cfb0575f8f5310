package dev.hone.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lead among the controllers of a PostgreSQL store: a session-level advisory lock taken with
 * {@code pg_try_advisory_lock} on a connection kept for it alone (never the store's shared one, whose session must
 * not end with the lock). Advisory locks belong to a database, so two installations on one PostgreSQL server, each
 * in its own database, do not contend.
 */
final class AdvisoryLeadership implements Leadership {

    /** The lock's key: "hone" in ASCII. */
    static final long KEY = 0x686f6e65L;
    /** How long a check that the held connection is alive may take. */
    private static final int VALID_TIMEOUT_S = 5;
    private static final Logger LOG = LoggerFactory.getLogger(AdvisoryLeadership.class);

    private final Database database;
    private Connection connection; // guarded by this; null: none open
    private boolean leading; // guarded by this

    AdvisoryLeadership(Database database) {
        this.database = database;
    }

    @Override
    public synchronized boolean lead() {
        try {
            if (connection != null && !connection.isValid(VALID_TIMEOUT_S)) {
                LOG.warn("event=leadership_connection_lost leading={}", leading);
                drop();
            }
            if (leading) {
                return true;
            }
            if (connection == null) {
                connection = database.connect();
                connection.setAutoCommit(true);
            }
            try (PreparedStatement s = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                s.setLong(1, KEY);
                try (ResultSet rs = s.executeQuery()) {
                    leading = rs.next() && rs.getBoolean(1);
                }
            }
            return leading;
        } catch (SQLException e) {
            LOG.warn("event=leadership_unknown reason=\"{}\"", database.location().redact(e.getMessage()));
            drop();
            return false;
        }
    }

    @Override
    public boolean exclusive() {
        return false;
    }

    @Override
    public synchronized void close() {
        drop(); // the session ends, and the lock with it
    }

    private void drop() {
        leading = false;
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("event=leadership_close_failed reason=\"{}\"", e.getMessage());
            }
            connection = null;
        }
    }
}
