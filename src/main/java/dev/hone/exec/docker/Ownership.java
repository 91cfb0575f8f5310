package dev.hone.exec.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which user the workspace container runs as, and who owns what it must write. Never root: when Hone runs as a
 * user, the container runs as that same uid:gid, so what a trial writes into the bind-mounted run directory is
 * Hone's own and needs no change of owner. When Hone runs as root, the container runs as {@value #IMAGE_UID}:
 * {@value #IMAGE_UID} (the images' {@code hone} user) and Hone hands it what it writes: the workspace, the agent's
 * files and each trial's output directory.
 */
record Ownership(int uid, int gid, boolean handOver) {

    /** The uid and gid of the {@code hone} user of Hone's images. */
    static final int IMAGE_UID = 1000;

    static Ownership ofThisProcess() {
        try {
            Path self = Path.of("/proc/self");
            int uid = (Integer) Files.getAttribute(self, "unix:uid");
            int gid = (Integer) Files.getAttribute(self, "unix:gid");
            return uid == 0 ? new Ownership(IMAGE_UID, IMAGE_UID, true) : new Ownership(uid, gid, false);
        } catch (IOException | UnsupportedOperationException e) {
            return new Ownership(IMAGE_UID, IMAGE_UID, false);
        }
    }

    /** The container's {@code User}: "1000:1000". */
    String user() {
        return uid + ":" + gid;
    }

    /** Gives {@code path} (not what is under it) to the container's user, when Hone runs as root. */
    void give(Path path) {
        if (!handOver) {
            return;
        }
        try {
            Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hand " + path + " to the container's user " + user() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Gives {@code root} and everything under it to the container's user, when Hone runs as root. */
    void giveTree(Path root) {
        if (!handOver) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    give(dir);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    give(file);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hand " + root + " to the container's user: " + e.getMessage(), e);
        }
    }

    /**
     * The container's environment ("K=V") on top of the image's: {@code env}, and HOME=/tmp unless the image has a
     * HOME made for this user (the images' {@code hone} user), so that caches and config files can be written.
     */
    List<String> environment(Images.ImageInfo image, Map<String, String> env) {
        List<String> entries = new ArrayList<>();
        if (image.env("HOME") == null || uid != IMAGE_UID) {
            entries.add("HOME=/tmp");
        }
        if (env != null) {
            env.forEach((name, value) -> {
                if (name != null && value != null) {
                    entries.add(name + "=" + value);
                }
            });
        }
        return entries;
    }
}
