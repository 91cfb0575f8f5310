package dev.hone.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A trial's directory, {@code <run>/trials/<n>}: {@code params.json} (its parameters, {@code $HONE_PARAMS}),
 * {@code output/} ({@code $HONE_OUTPUT}: its metrics file and model), {@code train.log} and, when a rebuild program
 * edited the workspace, {@code workspace.diff}.
 *
 * @param root the directory; its string is the directory's path
 */
public record TrialDir(Path root) {

    static final String LOG = "train.log";

    public TrialDir {
        Objects.requireNonNull(root, "root");
    }

    /** The trial's parameters as JSON. */
    public Path params() {
        return root.resolve("params.json");
    }

    /** Where the trial writes what it makes: its metrics file and its model. */
    public Path output() {
        return root.resolve("output");
    }

    /** The trial's output lines. */
    public Path log() {
        return root.resolve(LOG);
    }

    /** The edits the workspace had when the trial ran, as a diff. */
    public Path diff() {
        return root.resolve("workspace.diff");
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
