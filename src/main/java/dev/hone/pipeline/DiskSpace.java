package dev.hone.pipeline;

import dev.hone.data.DataDir;
import dev.hone.store.StoreException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The room left in the data directory. Each run keeps a reserve there ({@link DataDir#reserve()}, 1 MiB) and frees it
 * once the disk is full, so that the run's last records can still be written to the store; the next run puts it back
 * when there is room again. It also tells a failure that is the disk being full from any other.
 */
public final class DiskSpace {

    static final int RESERVE_BYTES = 1 << 20;
    /** How the operating system says it (ENOSPC, EDQUOT); Java passes its words on. */
    private static final List<String> FULL = List.of("No space left on device", "Disk quota exceeded");

    private final DataDir dataDir;

    DiskSpace(DataDir dataDir) {
        this.dataDir = dataDir;
    }

    /** Puts the reserve back when it is missing; without room for it, the run goes on without one. */
    void reserve() {
        Path reserve = dataDir.reserve();
        Path partial = null;
        try {
            if (Files.isRegularFile(reserve) && Files.size(reserve) == RESERVE_BYTES) {
                return;
            }
            partial = DataDir.newPartial(reserve);
            Files.write(partial, new byte[RESERVE_BYTES]);
            Files.move(partial, reserve, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            delete(partial);
        }
    }

    /** Frees the reserve's room, for the records of a run that the full disk stopped. */
    void release() {
        delete(dataDir.reserve());
    }

    /** True when {@code failure}, or one of its causes, is the disk being full. */
    public static boolean exhausted(Throwable failure) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof StoreException store && store.noSpace()
                    || t instanceof FileSystemException fs && says(fs.getReason())
                    || t instanceof IOException && says(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /** What the run says when the disk is full: {@code no space left on <data directory>: …}. */
    String reason() {
        return noSpaceOn(dataDir) + ": no more trials are started; free space there, then run again";
    }

    /** {@code no space left on <dir>}. */
    public static String noSpaceOn(DataDir dir) {
        return "no space left on " + dir;
    }

    private static boolean says(String message) {
        return message != null && FULL.stream().anyMatch(message::contains);
    }

    private static void delete(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // nothing more can be done here; the reserve is only a help
        }
    }
}
