package dev.hone.store;

/** Opens stores. */
public final class Stores {

    private Stores() {
    }

    /**
     * Opens the store at {@code location}, creating and migrating its schema when needed: a SQLite file path
     * (such as {@code hone.db} in the data directory; missing parent directories are created) or a
     * {@code jdbc:postgresql://host/db?user=…&password=…} URL. Two stores, in one process or two, may share a
     * SQLite file. Close it when done.
     *
     * @throws StoreException when it cannot be opened; the message names the location, with any password masked
     */
    public static Store open(String location) {
        return new JdbiStore(Database.open(StoreLocation.parse(location)));
    }
}
