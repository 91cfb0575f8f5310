package dev.hone.store;

/**
 * Which of the controllers ({@code hone serve} processes) on one store leads: runs the pollers and the other work
 * that must be done once, not once per controller. On PostgreSQL the leader holds an advisory lock
 * ({@code pg_try_advisory_lock}) on a connection of its own: the lock lasts as long as that session, so when the
 * leader dies or loses its connection the server lets the lock go and another controller's next {@link #lead} takes
 * it. A SQLite store takes one controller: its leader holds a lock on a file beside the database, and
 * {@link #exclusive} says that a controller that does not lead must not run at all.
 */
public interface Leadership extends AutoCloseable {

    /**
     * Whether this controller leads now: takes the lead when it is free, keeps it when held (checking that the
     * connection holding it is alive). Never throws: a store it cannot reach leads nothing.
     */
    boolean lead();

    /** True when only the leader may run (SQLite): a second controller on the store is refused. */
    boolean exclusive();

    /** Gives the lead up (closes the connection or file that held it). */
    @Override
    void close();
}
