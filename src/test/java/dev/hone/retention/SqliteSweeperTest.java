package dev.hone.retention;

import dev.hone.store.Store;
import dev.hone.store.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The sweeper on the SQLite store in the data directory it sweeps. */
class SqliteSweeperTest extends SweeperContract {

    private Store store;

    @BeforeEach
    void openStore() {
        store = Stores.open(data.store().toString());
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Override
    Store store() {
        return store;
    }
}
