package dev.hone.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A run's directory, {@code <data>/runs/<id>}.
 *
 * <pre>
 * workspace/                 the run's copy of the checkout, where its trials run
 * workspace.orig/            the checkout as it was copied, for the trials' diffs
 * workspace.before-trial-N/  the workspace before a rebuild program prepared trial N, until that trial is recorded
 * trials/&lt;n&gt;/                a trial ({@link TrialDir})
 * owner                      the process that runs the run (host:pid) and how the run came (queued | direct)
 * rebuild-&lt;k&gt;.log            the output of the rebuild program's k-th run
 * rebuild-history.json       the trial history the rebuild program reads ($HONE_HISTORY)
 * image-build.log            the output of the Dockerfile build
 * .hone-docker/              the Docker agent's FIFOs and per-trial files
 * </pre>
 *
 * @param root the directory; its string is the directory's path
 */
public record RunDir(Path root) {

    private static final String WORKSPACE = "workspace";
    /** Where a run's workspace is, for messages. */
    public static final String WORKSPACE_IN_DATA = "<data>/" + DataDir.RUNS + "/<id>/" + WORKSPACE;
    private static final String CHECKPOINT = WORKSPACE + ".before-trial-";
    private static final String TRIALS = "trials";
    private static final String REBUILD_LOG = "rebuild-%s.log";

    public RunDir {
        Objects.requireNonNull(root, "root");
    }

    /** The run directory {@code workspace} is in. */
    public static RunDir ofWorkspace(Path workspace) {
        return new RunDir(workspace.toAbsolutePath().normalize().getParent());
    }

    /** The run directory of a trial whose log is {@code log} ({@link TrialDir#log()}). */
    public static RunDir ofTrialLog(Path log) {
        return new RunDir(log.getParent().getParent().getParent());
    }

    /** The data directory this run directory is in. */
    public DataDir data() {
        return new DataDir(root.getParent().getParent());
    }

    /** The run's copy of the checkout: its trials and its rebuild program run there. */
    public Path workspace() {
        return root.resolve(WORKSPACE);
    }

    /** The checkout as the workspace was made from it, untouched, for the diffs of a rebuild program's edits. */
    public Path pristine() {
        return root.resolve(WORKSPACE + ".orig");
    }

    /** Where the workspace is kept as it was before a rebuild program prepares trial {@code trial}. */
    public Path checkpoint(int trial) {
        return root.resolve(CHECKPOINT + trial);
    }

    /**
     * A checkpoint on disk. {@code trial}: the trial it was taken before ({@link Integer#MAX_VALUE} when its name
     * does not say); {@code whole}: false while it is still being copied (its {@link DataDir#partial} name).
     */
    public record Checkpoint(Path dir, int trial, boolean whole) {}

    /** The workspace's checkpoints on disk, whole or not; none when the run directory does not exist. */
    public List<Checkpoint> checkpoints() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(root)) {
            return files.filter(p -> p.getFileName().toString().startsWith(CHECKPOINT))
                    .map(p -> new Checkpoint(p, checkpointTrial(p), !DataDir.isPartial(p))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the checkpoints in " + root + ": " + e.getMessage(), e);
        }
    }

    private static int checkpointTrial(Path checkpoint) {
        try {
            return Integer.parseInt(checkpoint.getFileName().toString().substring(CHECKPOINT.length()));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    /**
     * What of the run's directory its workspace is, those that exist: the workspace, its pristine copy, its
     * checkpoints, a copy of either cut short, and the Docker agent's directory.
     */
    public List<Path> workspaces() {
        List<Path> found = new ArrayList<>();
        for (Path p : List.of(workspace(), DataDir.partial(workspace()), pristine(), DataDir.partial(pristine()),
                agent())) {
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                found.add(p);
            }
        }
        checkpoints().forEach(c -> found.add(c.dir()));
        return found;
    }

    /** The numbers of the trials that have a directory, in order; none when there is no run directory. */
    public List<Integer> trialNumbers() {
        try (Stream<Path> dirs = Files.list(root.resolve(TRIALS))) {
            return dirs.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9]{1,9}"))
                    .map(Integer::valueOf).sorted().toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the trials in " + root + ": " + e.getMessage(), e);
        }
    }

    /** The run's own logs that exist: the rebuild program's, the history it read, the image build's. */
    public List<Path> runLogs() {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(root)) {
            files.filter(f -> f.getFileName().toString().matches("rebuild-[0-9]+\\.log")).sorted()
                    .forEach(found::add);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the logs in " + root + ": " + e.getMessage(), e);
        }
        for (Path p : List.of(rebuildHistory(), imageBuildLog())) {
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                found.add(p);
            }
        }
        return found;
    }

    /** The directory of trial {@code number}. */
    public TrialDir trial(int number) {
        return new TrialDir(root.resolve(TRIALS).resolve(Integer.toString(number)));
    }

    /** Where the trials' logs are, for people: {@code <run>/trials/<trial>/train.log}. */
    public String trialLogs() {
        return root.resolve(TRIALS) + "/<trial>/" + TrialDir.LOG;
    }

    /** The file that names the process running the run and how the run came. */
    public Path owner() {
        return root.resolve("owner");
    }

    /** The log of the rebuild program's {@code k}-th run (from 1). */
    public Path rebuildLog(int k) {
        return root.resolve(REBUILD_LOG.formatted(k));
    }

    /** Where the rebuild program's logs are, for people: {@code <run>/rebuild-<k>.log}. */
    public String rebuildLogs() {
        return root.resolve(REBUILD_LOG.formatted("<k>")).toString();
    }

    /** How many times the rebuild program ran: its logs in the directory (0 when there is no directory). */
    public long rebuildCount() {
        try (Stream<Path> files = Files.list(root)) {
            return files.filter(f -> f.getFileName().toString().matches("rebuild-[0-9]+\\.log")).count();
        } catch (IOException e) {
            return 0;
        }
    }

    /** The trial history written for the rebuild program ({@code $HONE_HISTORY}). */
    public Path rebuildHistory() {
        return root.resolve("rebuild-history.json");
    }

    /** The output of the Dockerfile build of the run's image. */
    public Path imageBuildLog() {
        return root.resolve("image-build.log");
    }

    /** The Docker executor's directory: its agent's script, FIFOs and per-trial files. */
    public Path agent() {
        return root.resolve(".hone-docker");
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
