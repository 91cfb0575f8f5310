package dev.hone.backup;

import dev.hone.data.DataDir;
import dev.hone.error.EnvironmentException;
import dev.hone.error.HoneException;
import dev.hone.store.Store;
import dev.hone.store.StoreException;
import dev.hone.store.Stores;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The backups of one data directory. A backup is a zip archive: {@value #MANIFEST} (what says it is a Hone backup,
 * and its format), {@code hone.db} (a consistent copy of the store, {@link Store#copyTo}) and each project's model
 * ({@code projects/<name>/model/…}). Nothing else of the data directory is in it: runs' workspaces, trials' outputs
 * and logs, mirrors and checkouts are made again, or kept by the operator's file backups.
 */
public final class Backup {

    static final String MANIFEST = "hone-backup.properties";
    private static final String FORMAT = "format=1";
    private static final String STORE = "hone.db";

    private final DataDir dataDir;

    public Backup(DataDir dataDir) {
        this.dataDir = dataDir;
    }

    /** What a backup holds: how many models, and the archive's size in bytes. */
    public record Contents(int models, long bytes) {}

    /**
     * Writes a backup of {@code store} (this data directory's, which others may be writing to) and of the models to
     * {@code file}, a new file: it appears whole, or not at all.
     *
     * @throws HoneException        {@code file} exists
     * @throws EnvironmentException it cannot be written
     */
    public Contents write(Store store, Path file) {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new HoneException("cannot back up to " + file + ": it exists; give a new file name, or delete it "
                    + "first");
        }
        Path archive = null;
        Path copy = null;
        try {
            archive = DataDir.newPartial(file);
            copy = DataDir.newPartial(file);
            store.copyTo(copy);
            int models;
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(archive))) {
                add(zip, MANIFEST, FORMAT.getBytes(StandardCharsets.UTF_8));
                add(zip, STORE, copy);
                models = addModels(zip);
            }
            Files.move(archive, file);
            return new Contents(models, Files.size(file));
        } catch (FileAlreadyExistsException e) {
            throw new HoneException("cannot back up to " + file + ": it was made while the backup was written; give "
                    + "a new file name", e);
        } catch (IOException e) {
            throw new EnvironmentException("cannot write the backup " + file + ": " + reason(e) + "; check that the "
                    + "directory exists, Hone may write in it and its disk has room", e);
        } finally {
            deleteQuietly(copy);
            deleteQuietly(archive);
        }
    }

    private int addModels(ZipOutputStream zip) throws IOException {
        List<Path> models = dataDir.models();
        for (Path model : models) {
            try (Stream<Path> tree = Files.walk(model)) {
                for (Path path : tree.sorted().toList()) {
                    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                        zip.putNextEntry(new ZipEntry(name(path) + "/"));
                        zip.closeEntry();
                    } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                        add(zip, name(path), path);
                    } // a link is not followed out of the model, nor kept
                }
            }
        }
        return models.size();
    }

    private String name(Path path) {
        Path relative = dataDir.root().relativize(path);
        List<String> names = new ArrayList<>();
        relative.forEach(n -> names.add(n.toString()));
        return String.join("/", names);
    }

    private static void add(ZipOutputStream zip, String name, byte[] content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content);
        zip.closeEntry();
    }

    private static void add(ZipOutputStream zip, String name, Path file) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        Files.copy(file, zip);
        zip.closeEntry();
    }

    /**
     * Unpacks the backup {@code file} into this data directory, which must be empty or not exist yet; the store is
     * opened once there (and migrated when the backup is older than this Hone). Nothing is written to the data
     * directory unless the whole backup could be unpacked and its store opened.
     *
     * @throws HoneException        the data directory is not empty, or {@code file} is not a Hone backup
     * @throws EnvironmentException the data directory cannot be written
     */
    public Contents restore(Path file) {
        requireEmpty();
        try (ZipFile zip = open(file)) {
            List<ZipEntry> entries = checked(file, zip);
            Path staging = DataDir.partial(dataDir.root());
            DataDir.delete(staging); // what an earlier restore, cut short, left
            try {
                DataDir unpacked = new DataDir(staging);
                unpack(zip, entries, unpacked);
                open(file, unpacked);
                int models = unpacked.models().size();
                moveInto(staging);
                return new Contents(models, Files.size(file));
            } finally {
                DataDir.delete(staging);
            }
        } catch (IOException e) {
            throw new EnvironmentException("cannot restore " + file + " into " + dataDir + ": " + reason(e)
                    + "; check that Hone may write there and the disk has room", e);
        }
    }

    private void requireEmpty() {
        Path root = dataDir.root();
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(root)) {
            throw new HoneException("cannot restore into " + root + ": it is a file; give a new or empty directory "
                    + "with --data DIR");
        }
        try (Stream<Path> children = Files.list(root)) {
            List<String> names = children.map(p -> p.getFileName().toString()).sorted().toList();
            if (!names.isEmpty()) {
                throw new HoneException("cannot restore into " + root + ": it is not empty (it holds "
                        + names.stream().limit(3).collect(Collectors.joining(", "))
                        + (names.size() > 3 ? ", …" : "") + "); restore into a new or empty directory with --data "
                        + "DIR, or move this one aside first");
            }
        } catch (IOException e) {
            throw new EnvironmentException("cannot read the data directory " + root + ": " + reason(e), e);
        }
    }

    private static ZipFile open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new HoneException("cannot restore " + file + ": " + (Files.exists(file) ? "it is not a file"
                    : "there is no such file") + "; give a file made by hone backup");
        }
        try {
            return new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw notABackup(file, "it is not a zip archive");
        }
    }

    /** The entries of a backup, each checked to be one a backup holds, before anything is written. */
    private List<ZipEntry> checked(Path file, ZipFile zip) throws IOException {
        ZipEntry manifest = zip.getEntry(MANIFEST);
        if (manifest == null || zip.getEntry(STORE) == null) {
            throw notABackup(file, "it holds no " + (manifest == null ? MANIFEST : STORE));
        }
        try (InputStream in = zip.getInputStream(manifest)) {
            String format = new String(in.readNBytes(1024), StandardCharsets.UTF_8).strip();
            if (!format.equals(FORMAT)) {
                throw new HoneException("cannot restore " + file + ": its " + MANIFEST + " says " + format
                        + ", a backup this Hone does not know (it reads " + FORMAT + "); restore it with the Hone "
                        + "that made it");
            }
        }
        DataDir probe = new DataDir(dataDir.root().toAbsolutePath().normalize());
        List<ZipEntry> entries = new ArrayList<>();
        for (Enumeration<? extends ZipEntry> all = zip.entries(); all.hasMoreElements(); ) {
            ZipEntry entry = all.nextElement();
            if (entry.getName().equals(MANIFEST)) {
                continue;
            }
            Path target = probe.root().resolve(entry.getName()).normalize();
            if (!target.equals(probe.store()) && !probe.inModel(target)) {
                throw notABackup(file, "it holds " + entry.getName() + ", which no Hone backup holds");
            }
            entries.add(entry);
        }
        return entries;
    }

    private static void unpack(ZipFile zip, List<ZipEntry> entries, DataDir into) throws IOException {
        for (ZipEntry entry : entries) {
            Path target = into.root().resolve(entry.getName()).normalize();
            if (entry.isDirectory()) {
                Files.createDirectories(target);
            } else {
                Files.createDirectories(target.getParent());
                try (InputStream in = zip.getInputStream(entry); OutputStream out = Files.newOutputStream(target)) {
                    in.transferTo(out);
                }
            }
        }
    }

    /** Opens the unpacked store once, which migrates it; a store that does not open is no backup. */
    private static void open(Path file, DataDir unpacked) {
        try (Store store = Stores.open(unpacked.store().toString())) {
            store.projects();
        } catch (StoreException e) {
            throw notABackup(file, "its " + STORE + " does not open as a store (" + e.getMessage() + ")");
        }
    }

    private void moveInto(Path staging) throws IOException {
        Path root = dataDir.root();
        if (!Files.exists(root)) {
            Files.createDirectories(root.toAbsolutePath().getParent());
            Files.move(staging, root);
            return;
        }
        try (Stream<Path> children = Files.list(staging)) {
            for (Path child : children.toList()) {
                Files.move(child, root.resolve(child.getFileName().toString()), StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    private static HoneException notABackup(Path file, String why) {
        return new HoneException("cannot restore " + file + ": it is not a backup made by hone backup (" + why
                + "); nothing was written");
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory: " + e.getMessage();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a temporary file left beside the backup; its .partial name says what it is
        }
    }
}
