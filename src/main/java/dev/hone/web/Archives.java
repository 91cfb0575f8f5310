package dev.hone.web;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * A directory as a {@code .tar.gz} written straight to a response (Apache Commons Compress): read file by file, so a
 * model of gigabytes costs a buffer, not its size. Entries are named {@code <top>/<path>}; regular files and
 * directories only — a symbolic link (which could point anywhere on the server) is left out, never followed.
 */
final class Archives {

    private Archives() {}

    /** Writes {@code dir}'s files under the name {@code top} to {@code out} (which it finishes, not closes). */
    static void tarGz(Path dir, String top, OutputStream out) throws IOException {
        GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(out);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    tar.putArchiveEntry(new TarArchiveEntry(d.toFile(), name(d)));
                    tar.closeArchiveEntry();
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (attrs.isRegularFile()) {
                        TarArchiveEntry entry = new TarArchiveEntry(file, name(file), LinkOption.NOFOLLOW_LINKS);
                        tar.putArchiveEntry(entry);
                        try {
                            Files.copy(file, tar);
                        } catch (IOException e) {
                            throw new UncheckedIOException("cannot read " + file, e);
                        }
                        tar.closeArchiveEntry();
                    }
                    return FileVisitResult.CONTINUE;
                }

                private String name(Path p) {
                    String relative = dir.relativize(p).toString().replace('\\', '/');
                    return relative.isEmpty() ? top + "/" : top + "/" + relative;
                }
            });
            tar.finish();
            gzip.finish();
        } finally {
            out.flush();
        }
    }
}
