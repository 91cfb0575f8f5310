package dev.hone.store;

import dev.hone.spec.Spec;
import java.time.Instant;

/**
 * A run about to start. {@code commit}, {@code branch}, {@code author}, {@code message} are null outside git.
 * {@code specYaml} is the hone.yaml text the run used (null: zero configuration); {@code metric} the metric it is
 * judged by, as the spec resolved it (null: not known yet, for a queued run, or none); {@code source} the directory
 * or repository URL it ran from.
 */
public record NewRun(String project, String source, String commit, String branch, String author, String message,
                     String specYaml, Spec.Metric metric, Instant createdAt) {

    /** A run whose spec is not read yet (a queued run): no metric. */
    public NewRun(String project, String source, String commit, String branch, String author, String message,
                  String specYaml, Instant createdAt) {
        this(project, source, commit, branch, author, message, specYaml, null, createdAt);
    }
}
