package dev.hone.exec;

import dev.hone.HoneException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.eclipse.jgit.diff.DiffAlgorithm;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.EditList;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.util.FileUtils;

/**
 * A run's own copy of the checkout: trials run in it and the rebuild program may edit it. A pristine copy is kept
 * beside it ({@code <dir>.orig}), so {@link #diff()} can tell what the edits are, and, while a rebuild program's
 * edits are not yet settled, a {@link #checkpoint} ({@code <dir>.before-trial-N}). Version-control metadata, caches
 * and virtual environments ({@link #SKIPPED}) are neither copied nor diffed.
 */
public final class Workspace {

    /** Directory names left out at any depth. */
    public static final Set<String> SKIPPED = Set.of(".git", "__pycache__", ".venv", "node_modules", ".hone");

    private static final String PARTIAL = ".partial";
    private static final String CHECKPOINT = ".before-trial-";

    private final Path dir;
    private final Path pristine;

    private Workspace(Path dir, Path pristine) {
        this.dir = dir;
        this.pristine = pristine;
    }

    /**
     * Copies {@code source} into {@code target} (created with its parents; it must not exist or be empty), and once
     * more into the sibling {@code target.orig} for diffs. Each copy is made under a temporary name and renamed
     * when complete, so a process killed while copying never leaves a workspace that looks whole.
     */
    public static Workspace create(Path source, Path target) {
        if (!Files.isDirectory(source)) {
            throw new HoneException("workspace: source " + source + " is not a directory");
        }
        Path pristine = pristineOf(target);
        for (Path dir : new Path[] {pristine, target}) {
            if (!isEmptyOrMissing(dir)) {
                throw new HoneException("workspace: " + dir + " already exists and is not an empty directory;"
                        + " remove it or choose another run directory");
            }
        }
        for (Path dir : new Path[] {pristine, target}) {
            Path partial = partialOf(dir);
            delete(partial);
            copyTree(source, partial);
            try {
                Files.deleteIfExists(dir);
                Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("workspace: cannot move " + partial + " to " + dir + ": "
                        + e.getMessage(), e);
            }
        }
        return new Workspace(target, pristine);
    }

    /**
     * The workspace a stopped process left at {@code target}, as it was left (edits of a rebuild program included),
     * when it was complete; else a new one from {@code source}, as {@link #create} makes it. {@code lastTrial}: the
     * highest trial number the run recorded (0 for none). A rebuild program that was stopped before the trial it
     * prepared was recorded has its edits undone (its {@link #checkpoint} is put back), so running it again does
     * not apply them twice; once that trial is recorded, the edits stay.
     */
    public static Workspace reopen(Path source, Path target, int lastTrial) {
        Path pristine = pristineOf(target);
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)
                && Files.isDirectory(pristine, LinkOption.NOFOLLOW_LINKS)) {
            Workspace workspace = new Workspace(target, pristine);
            for (Path checkpoint : workspace.checkpoints()) {
                if (!checkpoint.getFileName().toString().endsWith(PARTIAL)
                        && checkpointTrial(checkpoint) > lastTrial) {
                    workspace.restore(checkpoint);
                }
            }
            workspace.release();
            return workspace;
        }
        for (Path dir : new Path[] {target, pristine, partialOf(target), partialOf(pristine)}) {
            delete(dir);
        }
        new Workspace(target, pristine).release();
        return create(source, target);
    }

    /**
     * Keeps a copy of the workspace as it is now, before a rebuild program edits it to prepare trial {@code trial},
     * until {@link #release} or the next checkpoint: if the process is stopped before that trial is recorded,
     * {@link #reopen} puts the copy back. Files under {@link #SKIPPED} directories are neither kept nor put back.
     */
    public void checkpoint(int trial) {
        release();
        Path checkpoint = dir.resolveSibling(dir.getFileName() + CHECKPOINT + trial);
        Path partial = partialOf(checkpoint);
        copyTree(dir, partial);
        try {
            Files.move(partial, checkpoint, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("workspace: cannot move " + partial + " to " + checkpoint + ": "
                    + e.getMessage(), e);
        }
    }

    /** Drops the checkpoint: the edits made since stay, whatever happens to the process. */
    public void release() {
        checkpoints().forEach(Workspace::delete);
    }

    private List<Path> checkpoints() {
        String prefix = dir.getFileName() + CHECKPOINT;
        Path parent = dir.toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) {
            return List.of();
        }
        try (Stream<Path> siblings = Files.list(parent)) {
            return siblings.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("workspace: cannot list " + dir.getParent() + ": " + e.getMessage(), e);
        }
    }

    private static int checkpointTrial(Path checkpoint) {
        String name = checkpoint.getFileName().toString();
        try {
            return Integer.parseInt(name.substring(name.lastIndexOf(CHECKPOINT) + CHECKPOINT.length()));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE; // not one of ours in form: put back rather than lose the undo
        }
    }

    /** Makes the workspace's files those of {@code checkpoint} again (files under SKIPPED are left alone). */
    private void restore(Path checkpoint) {
        Set<String> kept = files(checkpoint);
        try {
            for (String path : files(dir)) {
                if (!kept.contains(path)) {
                    Files.delete(dir.resolve(path));
                }
            }
            for (String path : kept) {
                Path from = checkpoint.resolve(path);
                Path to = dir.resolve(path);
                if (!Files.isRegularFile(to, LinkOption.NOFOLLOW_LINKS) || Files.mismatch(from, to) != -1
                        || Files.isExecutable(from) != Files.isExecutable(to)) {
                    Files.createDirectories(to.getParent());
                    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("workspace: cannot put back " + dir + " from " + checkpoint + ": "
                    + e.getMessage(), e);
        }
    }

    private static Path pristineOf(Path target) {
        return target.resolveSibling(target.getFileName() + ".orig");
    }

    private static Path partialOf(Path dir) {
        return dir.resolveSibling(dir.getFileName() + PARTIAL);
    }

    private static void delete(Path dir) {
        try {
            FileUtils.delete(dir.toFile(), FileUtils.RECURSIVE | FileUtils.SKIP_MISSING);
        } catch (IOException e) {
            throw new UncheckedIOException("workspace: cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The directory trials and the rebuild program run in. */
    public Path dir() {
        return dir;
    }

    /**
     * The edits made to the workspace since it was created, as a git-style unified diff ({@code diff --git a/x b/x}
     * headers; new, deleted and binary files included); "" when nothing changed.
     */
    public String diff() {
        Set<String> paths = new TreeSet<>(files(pristine));
        paths.addAll(files(dir));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (String path : paths) {
                FileDiff.write(out, path, pristine.resolve(path), dir.resolve(path));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("workspace: cannot diff " + dir + ": " + e.getMessage(), e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** One file's part of the diff. */
    private static final class FileDiff {

        static void write(ByteArrayOutputStream out, String path, Path before, Path after) throws IOException {
            boolean existed = Files.isRegularFile(before, LinkOption.NOFOLLOW_LINKS);
            boolean exists = Files.isRegularFile(after, LinkOption.NOFOLLOW_LINKS);
            String oldMode = existed ? mode(before) : null;
            String newMode = exists ? mode(after) : null;
            if (existed && exists && oldMode.equals(newMode) && Files.mismatch(before, after) == -1) {
                return; // compared as streams: an unchanged data file is never loaded whole
            }
            byte[] a = existed ? Files.readAllBytes(before) : new byte[0];
            byte[] b = exists ? Files.readAllBytes(after) : new byte[0];
            StringBuilder header = new StringBuilder("diff --git a/" + path + " b/" + path + "\n");
            if (!existed) {
                header.append("new file mode ").append(newMode).append('\n');
            } else if (!exists) {
                header.append("deleted file mode ").append(oldMode).append('\n');
            } else if (!oldMode.equals(newMode)) {
                header.append("old mode ").append(oldMode).append("\nnew mode ").append(newMode).append('\n');
            }
            if (!Arrays.equals(a, b)) {
                if (RawText.isBinary(a) || RawText.isBinary(b)) {
                    header.append("Binary files differ\n");
                } else {
                    header.append("--- ").append(existed ? "a/" + path : "/dev/null").append('\n');
                    header.append("+++ ").append(exists ? "b/" + path : "/dev/null").append('\n');
                }
            }
            out.write(header.toString().getBytes(StandardCharsets.UTF_8));
            if (!Arrays.equals(a, b) && !RawText.isBinary(a) && !RawText.isBinary(b)) {
                RawText left = new RawText(a);
                RawText right = new RawText(b);
                EditList edits = DiffAlgorithm.getAlgorithm(DiffAlgorithm.SupportedAlgorithm.HISTOGRAM)
                        .diff(RawTextComparator.DEFAULT, left, right);
                try (DiffFormatter formatter = new DiffFormatter(out)) {
                    formatter.format(edits, left, right);
                    formatter.flush();
                }
            }
        }

        private static String mode(Path file) {
            return Files.isExecutable(file) ? "100755" : "100644";
        }
    }

    /** Relative paths ('/'-separated) of the regular files under {@code root}, skipping {@link #SKIPPED}. */
    private static Set<String> files(Path root) {
        Set<String> files = new TreeSet<>();
        walk(root, null, (file, attrs) -> {
            if (attrs.isRegularFile()) {
                files.add(relative(root, file));
            }
        });
        return files;
    }

    /**
     * Copies the tree, leaving out the directories the copy itself goes into: a data directory inside the project
     * holds the runs' workspaces, which are not part of the project (and copying them into themselves never ends).
     */
    private static void copyTree(Path source, Path target) {
        Path into = target.toAbsolutePath().normalize();
        try {
            Files.createDirectories(target);
        } catch (IOException e) {
            throw new UncheckedIOException("workspace: cannot create " + target + ": " + e.getMessage(), e);
        }
        walk(source, into, (file, attrs) -> {
            Path to = target.resolve(relative(source, file));
            Files.createDirectories(to.getParent());
            Files.copy(file, to, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.COPY_ATTRIBUTES);
        });
    }

    private interface FileAction {
        void accept(Path file, BasicFileAttributes attrs) throws IOException;
    }

    /** Visits the files under {@code root}, leaving out {@link #SKIPPED} and any directory that holds {@code into}. */
    private static void walk(Path root, Path into, FileAction action) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    if (d.equals(root)) {
                        return FileVisitResult.CONTINUE;
                    }
                    boolean holdsTheCopy = into != null && into.startsWith(d.toAbsolutePath().normalize());
                    return holdsTheCopy || SKIPPED.contains(d.getFileName().toString())
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (!SKIPPED.contains(file.getFileName().toString())) { // a worktree's .git is a file
                        action.accept(file, attrs);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("workspace: cannot read " + root + ": " + e.getMessage(), e);
        }
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }

    private static boolean isEmptyOrMissing(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException("workspace: cannot read " + dir + ": " + e.getMessage(), e);
        }
    }
}
