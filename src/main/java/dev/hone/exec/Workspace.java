package dev.hone.exec;

import dev.hone.error.HoneException;
import dev.hone.data.DataDir;
import dev.hone.data.RunDir;
import dev.hone.source.GitDiff;
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
import java.util.Set;
import java.util.TreeSet;

/**
 * A run's own copy of the checkout: trials run in it and the rebuild program may edit it. A pristine copy is kept
 * beside it ({@link RunDir#pristine()}), so {@link #diff()} can tell what the edits are, and, while a rebuild
 * program's edits are not yet settled, a {@link #checkpoint} ({@link RunDir#checkpoint(int)}). Version-control
 * metadata, caches and virtual environments ({@link #SKIPPED}) are neither copied nor diffed.
 */
public final class Workspace {

    /** Directory names left out at any depth. */
    public static final Set<String> SKIPPED = Set.of(".git", "__pycache__", ".venv", "node_modules",
            DataDir.DEFAULT_NAME);

    private final RunDir run;
    private final Path dir;
    private final Path pristine;

    private Workspace(RunDir run) {
        this.run = run;
        this.dir = run.workspace();
        this.pristine = run.pristine();
    }

    /**
     * Copies {@code source} into the run's workspace (created with its parents; it must not exist or be empty), and
     * once more into its pristine copy for diffs. Each copy is made under a temporary name and renamed when
     * complete, so a process killed while copying never leaves a workspace that looks whole.
     */
    public static Workspace create(Path source, RunDir run) {
        if (!Files.isDirectory(source)) {
            throw new HoneException("workspace: source " + source + " is not a directory");
        }
        Workspace workspace = new Workspace(run);
        for (Path dir : new Path[] {workspace.pristine, workspace.dir}) {
            if (!isEmptyOrMissing(dir)) {
                throw new HoneException("workspace: " + dir + " already exists and is not an empty directory;"
                        + " remove it or choose another run directory");
            }
        }
        for (Path dir : new Path[] {workspace.pristine, workspace.dir}) {
            Path partial = DataDir.partial(dir);
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
        return workspace;
    }

    /**
     * The workspace a stopped process left in the run directory, as it was left (edits of a rebuild program
     * included), when it was complete; else a new one from {@code source}, as {@link #create} makes it.
     * {@code lastTrial}: the highest trial number the run recorded (0 for none). A rebuild program that was stopped
     * before the trial it prepared was recorded has its edits undone (its {@link #checkpoint} is put back), so
     * running it again does not apply them twice; once that trial is recorded, the edits stay.
     */
    public static Workspace reopen(Path source, RunDir run, int lastTrial) {
        Workspace workspace = new Workspace(run);
        if (Files.isDirectory(workspace.dir, LinkOption.NOFOLLOW_LINKS)
                && Files.isDirectory(workspace.pristine, LinkOption.NOFOLLOW_LINKS)) {
            for (RunDir.Checkpoint checkpoint : run.checkpoints()) {
                if (checkpoint.whole() && checkpoint.trial() > lastTrial) {
                    workspace.restore(checkpoint.dir());
                }
            }
            workspace.release();
            return workspace;
        }
        for (Path dir : new Path[] {workspace.dir, workspace.pristine, DataDir.partial(workspace.dir),
                DataDir.partial(workspace.pristine)}) {
            delete(dir);
        }
        workspace.release();
        return create(source, run);
    }

    /**
     * Keeps a copy of the workspace as it is now, before a rebuild program edits it to prepare trial {@code trial},
     * until {@link #release} or the next checkpoint: if the process is stopped before that trial is recorded,
     * {@link #reopen} puts the copy back. Files under {@link #SKIPPED} directories are neither kept nor put back.
     */
    public void checkpoint(int trial) {
        release();
        Path checkpoint = run.checkpoint(trial);
        Path partial = DataDir.partial(checkpoint);
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
        run.checkpoints().forEach(c -> delete(c.dir()));
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

    private static void delete(Path dir) {
        try {
            DataDir.delete(dir);
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
                GitDiff.write(out, path, pristine.resolve(path), dir.resolve(path));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("workspace: cannot diff " + dir + ": " + e.getMessage(), e);
        }
        return out.toString(StandardCharsets.UTF_8);
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
