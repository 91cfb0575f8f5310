package dev.hone.store;

import dev.hone.run.RunStatus;
import dev.hone.spec.Spec;
import java.time.Instant;

/**
 * A run as stored. {@code metric}: the metric it is judged by, as recorded when its spec was read (null: none
 * recorded). Best fields are null when no trial produced a value; while the run is live they are the best so far.
 * {@code cancelledBy} and {@code cancelledAt}: the name of the token that cancelled it through the API, and when;
 * null when nobody did.
 */
public record RunRow(long id, String project, String source, String commit, String branch, String author,
                     String message, RunStatus status, String framework, String executor, String specYaml,
                     Spec.Metric metric, Integer bestTrial, Double bestValue, int trialCount, Instant createdAt,
                     Instant finishedAt, String cancelledBy, Instant cancelledAt) {}
