package dev.hone.store;

import dev.hone.HoneException;

/**
 * The store could not do what was asked. The message names the operation and the store's location (with any
 * password masked) and the database's own reason, e.g. {@code cannot save trial 3 of run 7 in store
 * /home/ana/.hone/hone.db: database is locked}.
 */
public class StoreException extends HoneException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
