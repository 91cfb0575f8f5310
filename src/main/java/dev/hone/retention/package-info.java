/**
 * What Hone deletes once it has expired ({@code retention} of hone-server.yaml): {@link dev.hone.retention.Sweeper}
 * works out, from the store and the data directory, which finished runs' workspaces, trial directories and logs,
 * and whole runs (files and records) are past their age, keeping every queued, running or interrupted run, each
 * project's best trial and the trial whose model is served; it lists them ({@code hone gc --dry-run}) or deletes
 * them ({@code hone gc}, and {@code hone serve} at its start and every hour), and says what it freed in a
 * {@link dev.hone.retention.Sweep}.
 */
package dev.hone.retention;
