package dev.hone.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one controller of a SQLite store: a lock on a file beside the database ({@code hone.db.serve.lock}; never the
 * database file itself, whose locks are SQLite's). The operating system lets the lock go when the process ends, even
 * killed. Within one process the lock is held once and every controller of the process leads.
 */
final class FileLeadership implements Leadership {

    private static final Logger LOG = LoggerFactory.getLogger(FileLeadership.class);

    private final Path file;
    private FileChannel channel; // guarded by this
    private FileLock lock; // guarded by this

    FileLeadership(Path database) {
        this.file = database.resolveSibling(database.getFileName() + ".serve.lock");
    }

    @Override
    public synchronized boolean lead() {
        if (lock != null && lock.isValid()) {
            return true;
        }
        try {
            if (channel == null) {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            }
            lock = channel.tryLock();
            return lock != null;
        } catch (OverlappingFileLockException e) {
            return true; // this process holds it already (another Server of it)
        } catch (IOException e) {
            LOG.warn("event=leadership_unknown file={} reason=\"{}\"", file, e.getMessage());
            return false;
        }
    }

    @Override
    public boolean exclusive() {
        return true;
    }

    @Override
    public synchronized void close() {
        try {
            if (channel != null) {
                channel.close(); // releases the lock
            }
        } catch (IOException e) {
            LOG.debug("event=leadership_close_failed file={} reason=\"{}\"", file, e.getMessage());
        }
        channel = null;
        lock = null;
    }
}
