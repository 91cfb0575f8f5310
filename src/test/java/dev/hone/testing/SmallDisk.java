package dev.hone.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A tmpfs of a few MiB mounted on a test's directory, so that the test can fill a real disk. Mounting needs root (as
 * CI runs the tests): outside CI a test without it is skipped, in CI it fails ({@link Parts#require}).
 */
public final class SmallDisk implements AutoCloseable {

    private final Path dir;

    private SmallDisk(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code mebibytes} MiB on {@code dir} (created when missing). */
    public static SmallDisk mount(Path dir, int mebibytes) throws IOException {
        Files.createDirectories(dir);
        String mounted = run("mount", "-t", "tmpfs", "-o", "size=" + mebibytes + "m,mode=0755", "hone-test", dir.toString());
        Parts.require(mounted.isEmpty(), "a tmpfs mounted by the test (root; the mount said: " + mounted + ")");
        return new SmallDisk(dir);
    }

    public Path dir() {
        return dir;
    }

    /** Writes {@code name} until the disk refuses more: it is full. */
    public Path fill(String name) throws IOException {
        Path file = dir.resolve(name);
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left on device")) {
                throw full;
            }
        }
        return file;
    }

    /** Unmounts; lazily when a process still holds a file there. */
    @Override
    public void close() {
        if (!run("umount", dir.toString()).isEmpty()) {
            String lazy = run("umount", "-l", dir.toString());
            if (!lazy.isEmpty()) {
                throw new AssertionError("cannot unmount the test's tmpfs at " + dir + ": " + lazy);
            }
        }
    }

    /** Runs a command; empty when it succeeded, else what it said. */
    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String said = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return String.join(" ", command) + " did not end within 30s";
            }
            return p.exitValue() == 0 ? "" : said.isBlank() ? "exit " + p.exitValue() : said.strip();
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
