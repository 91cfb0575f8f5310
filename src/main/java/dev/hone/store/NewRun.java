package dev.hone.store;

import java.time.Instant;

/**
 * A run about to start. {@code commit}, {@code branch}, {@code author}, {@code message} are null outside git.
 * {@code specYaml} is the hone.yaml text the run used (null: zero configuration); {@code source} the directory or
 * repository URL it ran from.
 */
public record NewRun(String project, String source, String commit, String branch, String author, String message,
                     String specYaml, Instant createdAt) {}
