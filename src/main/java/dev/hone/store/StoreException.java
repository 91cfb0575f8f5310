package dev.hone.store;

import dev.hone.error.HoneException;

/**
 * The store could not do what was asked. The message names the operation and the store's location (with any
 * password masked) and the database's own reason, e.g. {@code cannot save trial 3 of run 7 in store
 * /home/ana/.hone/hone.db: database is locked}.
 */
public class StoreException extends HoneException {

    /** SQLite's primary result code SQLITE_FULL: "database or disk is full". */
    private static final int SQLITE_FULL = 13;

    private final boolean noSpace;

    public StoreException(String message) {
        super(message);
        this.noSpace = false;
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
        this.noSpace = noSpace(cause);
    }

    /** True when SQLite refused a write because the disk of its file is full (SQLITE_FULL). */
    public boolean noSpace() {
        return noSpace;
    }

    private static boolean noSpace(Throwable cause) {
        for (Throwable t = cause; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof org.sqlite.SQLiteException s && (s.getResultCode().code & 0xff) == SQLITE_FULL) {
                return true;
            }
        }
        return false;
    }
}
