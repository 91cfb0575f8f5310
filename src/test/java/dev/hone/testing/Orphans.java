package dev.hone.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Processes a killed Hone left behind: re-parented, so only their new parent (init) reaps them. */
public final class Orphans {

    private Orphans() {}

    /** Gone, or a zombie its new parent has not reaped yet: either way it ended. */
    public static boolean ended(ProcessHandle process) {
        if (!process.isAlive()) {
            return true;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (NoSuchFileException reaped) {
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
