package dev.hone.source;

import dev.hone.error.HoneException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Files Hone reads from a directory whose content others control — a pushed checkout (its {@code hone.yaml}, the
 * entrypoint, the {@code Dockerfile}, the rebuild program), a trial's {@code $HONE_OUTPUT} (its
 * {@code metrics.json}): each must resolve inside that directory. A symbolic link that leads out of it (to
 * {@code /etc/passwd}, to Hone's own data) is refused with {@link LinkOutsideException}, so that nothing of the host
 * is read on a repository's behalf. Links that stay inside are followed.
 */
public final class Confined {

    private Confined() {}

    /**
     * {@code dir.resolve(name)}, once it is known to lead nowhere outside {@code dir}; a file that does not exist is
     * returned as it is (reading it fails as any missing file does).
     *
     * @param dirLabel how messages name {@code dir}: "the checkout", "$HONE_OUTPUT"
     * @throws LinkOutsideException when {@code name}, or a directory on its way, is a link that leads out of
     *                              {@code dir}, or {@code name} climbs out with {@code ..}
     */
    public static Path file(Path dir, String name, String dirLabel) {
        Path file = dir.resolve(name).normalize();
        Path root = dir.normalize();
        if (!file.startsWith(root)) {
            throw new LinkOutsideException(name, "is outside " + dirLabel + ": Hone reads only files inside "
                    + dirLabel + " — give a path within it");
        }
        if (leaves(root, file)) {
            String link = Files.isSymbolicLink(file) ? " (" + name + " -> " + target(file) + ")" : "";
            throw new LinkOutsideException(name, "leads out of " + dirLabel + " through a symbolic link" + link
                    + ": Hone reads only files inside " + dirLabel + " — put the file itself there, not a link "
                    + "to it");
        }
        return file;
    }

    /** True when {@code file} (under {@code dir}) exists and resolves, through links, to a place outside it. */
    public static boolean leaves(Path dir, Path file) {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            return !file.toRealPath().startsWith(dir.toRealPath());
        } catch (IOException e) { // a link to nothing, or into what cannot be read: judged by what it says
            return Files.isSymbolicLink(file) && !file.getParent().resolve(target(file)).normalize()
                    .startsWith(dir.toAbsolutePath().normalize());
        }
    }

    private static String target(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return "?";
        }
    }

    /** A file Hone was to read leads out of the directory it must stay in. The message is its name, then why. */
    public static final class LinkOutsideException extends HoneException {

        private final String reason;

        LinkOutsideException(String name, String reason) {
            super(name + " " + reason);
            this.reason = reason;
        }

        /** The message without the file's name: "leads out of the checkout through a symbolic link (…): …". */
        public String reason() {
            return reason;
        }
    }
}
