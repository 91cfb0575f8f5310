package dev.hone.data;

import dev.hone.error.EnvironmentException;
import dev.hone.error.HoneException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A data directory: where Hone keeps its history and what its runs leave.
 *
 * <pre>
 * hone.db                    the SQLite store
 * runs/&lt;id&gt;/                 a run ({@link RunDir})
 * projects/&lt;name&gt;/model/     the best trial's output of the project's latest successful run
 * repos/&lt;hash&gt;/              bare mirrors of the watched repositories (hone serve), their submodules in modules/
 * checkouts/&lt;run&gt;/           a queued run's checkout, deleted after the run
 * demo/&lt;example&gt;/            the examples hone demo runs
 * space.reserve              room kept for a run's last records once the disk is full
 * </pre>
 *
 * @param root the directory; its string is the directory's path
 */
public record DataDir(Path root) {

    /** The default data directory's name, in the user's home; projects may hold one too (it is not copied). */
    public static final String DEFAULT_NAME = ".hone";
    static final String RUNS = "runs";
    private static final String PARTIAL = ".partial";
    private static final String PROJECTS = "projects";
    private static final String MODEL = "model";

    public DataDir {
        Objects.requireNonNull(root, "root");
    }

    /** The default data directory of a user: {@code <home>/.hone}. */
    public static DataDir inHome(Path home) {
        return new DataDir(home.resolve(DEFAULT_NAME));
    }

    /** The SQLite store's file. */
    public Path store() {
        return root.resolve("hone.db");
    }

    /** The directory of run {@code id}. */
    public RunDir run(long id) {
        return new RunDir(root.resolve(RUNS).resolve(Long.toString(id)));
    }

    /** Where the project's current model is: replaced as a whole from {@link #stagedModel} when a run succeeds. */
    public Path model(String project) {
        return projectDir(project).resolve(MODEL);
    }

    /** Where the project's next model is copied before it replaces {@link #model}. */
    public Path stagedModel(String project) {
        return projectDir(project).resolve("model.new");
    }

    /** The model directories of the projects that have one ({@code projects/<name>/model}), in name order. */
    public List<Path> models() throws IOException {
        Path projects = root.resolve(PROJECTS);
        if (!Files.isDirectory(projects)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(projects)) {
            return dirs.map(dir -> dir.resolve(MODEL)).filter(Files::isDirectory).sorted().toList();
        }
    }

    /** Whether {@code path} is a project's model directory or in one: {@code projects/<name>/model/…}. */
    public boolean inModel(Path path) {
        Path normalized = path.toAbsolutePath().normalize();
        Path absoluteRoot = root.toAbsolutePath().normalize();
        if (!normalized.startsWith(absoluteRoot)) {
            return false;
        }
        Path relative = absoluteRoot.relativize(normalized);
        return relative.getNameCount() >= 3 && relative.getName(0).toString().equals(PROJECTS)
                && relative.getName(2).toString().equals(MODEL);
    }

    private Path projectDir(String project) {
        // names are checked when a spec is read; this keeps any other out of the layout ("..", "a/b")
        return root.resolve(PROJECTS).resolve(project.replaceAll("[^A-Za-z0-9._-]", "_").replaceFirst("^[._-]", "_"));
    }

    /** The bare mirrors of the watched repositories, one directory each. */
    public Path mirrors() {
        return root.resolve("repos");
    }

    /** Where a queued run's commit is checked out to run (deleted after the run). */
    public Path checkout(long runId) {
        return root.resolve("checkouts").resolve(Long.toString(runId));
    }

    /** Where {@code hone demo} writes the example it runs. */
    public Path demo(String example) {
        return root.resolve("demo").resolve(example);
    }

    /**
     * Creates the directory when it is missing and checks that Hone can write in it (a file is made and deleted).
     * Returns this directory.
     *
     * @throws HoneException        the directory, or a directory it is in, is a file
     * @throws EnvironmentException it cannot be created or written in (permissions, a read-only file system)
     */
    public DataDir prepare() {
        String choose = "give another with --data DIR (or data_dir: in hone-server.yaml)";
        for (Path p = root; p != null; p = p.getParent()) {
            if (Files.exists(p) && !Files.isDirectory(p)) {
                throw new HoneException("the data directory " + root + (p.equals(root) ? " is a file"
                        : " cannot be made: " + p + " is a file") + "; " + choose);
            }
        }
        try {
            Files.createDirectories(root);
            Files.delete(Files.createTempFile(root, ".write-test", null));
            return this;
        } catch (IOException e) {
            String reason = e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : "cannot create it";
            throw new EnvironmentException("cannot write in the data directory " + root + " (" + reason + "): let "
                    + "the user Hone runs as (" + System.getProperty("user.name") + ") write in it, or " + choose, e);
        }
    }

    /** Room kept free for a run's last records once the disk is full: deleted then, written again later. */
    public Path reserve() {
        return root.resolve("space.reserve");
    }

    /**
     * Where a copy to {@code dir} is made before it is renamed to {@code dir}, so a copy cut short never looks
     * whole.
     */
    public static Path partial(Path dir) {
        return dir.resolveSibling(dir.getFileName() + PARTIAL);
    }

    /**
     * Creates a new file beside {@code file} (and the directories it is in), with a name no other writer has, to
     * write {@code file} under before it is renamed to {@code file}.
     */
    public static Path newPartial(Path file) throws IOException {
        return Files.createTempFile(Files.createDirectories(file.getParent()), file.getFileName().toString(),
                PARTIAL);
    }

    static boolean isPartial(Path dir) {
        return dir.getFileName().toString().endsWith(PARTIAL);
    }

    /**
     * Deletes {@code tree}: a directory with everything under it, or a file. Symbolic links are deleted, never
     * followed. Nothing to do when it does not exist.
     *
     * @throws IOException the first file that could not be deleted
     */
    public static void delete(Path tree) throws IOException {
        Files.walkFileTree(tree, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE; // not there (or gone meanwhile): nothing to delete
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * The bytes of the files under {@code tree} (or of the file it is), a link counted as itself, never followed; 0
     * when it does not exist. Files that go meanwhile are not counted.
     *
     * @throws IOException a directory that cannot be read
     */
    public static long size(Path tree) throws IOException {
        long[] bytes = {0};
        Files.walkFileTree(tree, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                bytes[0] += attrs.size();
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        return bytes[0];
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
