/**
 * Backing up an installation that keeps its history in SQLite, and restoring it: {@link dev.hone.backup.Backup}
 * writes one zip archive holding a consistent copy of the store (made while {@code hone serve} may write) and every
 * project's model, and unpacks such an archive into an empty data directory.
 */
package dev.hone.backup;
