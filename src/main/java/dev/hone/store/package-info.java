/**
 * The history: projects, runs, trials with their parameters and intermediate values, events and notifications.
 * {@link dev.hone.store.Stores#open(String)} opens a SQLite file (the embedded default) or a PostgreSQL database and
 * migrates its schema with Flyway ({@code db/migration/sqlite}, {@code db/migration/postgresql}). JDBI, Flyway and
 * the JDBC drivers stay inside this package; callers speak the records {@link dev.hone.store.NewRun},
 * {@link dev.hone.store.RunRow}, {@link dev.hone.store.TrialRow}, {@link dev.hone.store.EventRow} and
 * {@link dev.hone.store.NotificationRow}. Failures are {@link dev.hone.store.StoreException}s.
 */
package dev.hone.store;
