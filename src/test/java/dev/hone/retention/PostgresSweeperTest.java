package dev.hone.retention;

import dev.hone.store.Store;
import dev.hone.testing.TestPostgres;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The sweeper on a real PostgreSQL server (the teams' store), a database migrated from scratch for each test. */
class PostgresSweeperTest extends SweeperContract {

    private TestPostgres postgres;

    @BeforeEach
    void freshDatabase() throws SQLException {
        postgres = TestPostgres.create();
    }

    @AfterEach
    void dropDatabase() throws SQLException, InterruptedException {
        postgres.close();
    }

    @Override
    Store store() {
        return postgres.store();
    }
}
