/**
 * The history: projects, runs, trials with their parameters and intermediate values, events and notifications.
 * {@link dev.hone.store.Stores#open(String)} opens a SQLite file (the embedded default) or a PostgreSQL database and
 * migrates its schema with Flyway ({@code db/migration/sqlite}, {@code db/migration/postgresql}). JDBI, Flyway and
 * the JDBC drivers stay inside this package; callers speak the records {@link dev.hone.store.NewRun},
 * {@link dev.hone.store.RunRow}, {@link dev.hone.store.TrialRow}, {@link dev.hone.store.EventRow} and
 * {@link dev.hone.store.NotificationRow}. The {@link dev.hone.store.Outbox} holds notifications from before they are
 * sent until they are sent or given up ({@link dev.hone.store.OutboxEntry}, {@link dev.hone.store.OutboxRow}); its
 * claims make sure that two couriers never both send one. The {@link dev.hone.store.RunQueue} keeps the runs
 * {@code hone serve} queued (claimed atomically, superseded, requeued); {@link dev.hone.store.Installation} the
 * repositories added at run time, the heads each watched repository was last seen at, their events and the API
 * token's hash. Failures are {@link dev.hone.store.StoreException}s.
 */
package dev.hone.store;
