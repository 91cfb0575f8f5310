package dev.hone.tune;

import java.time.Duration;
import java.util.List;

/**
 * The study's budgets. {@code timeout} null: none. {@code constraints}: bounds on other metrics a trial must keep to
 * reach the target or be the best ({@code metric.constraints}).
 */
public record StudyConfig(SearchSpace space, int maxTrials, int maxFailedTrials, int parallel, Duration timeout,
                          List<Constraint> constraints) {

    public StudyConfig {
        constraints = constraints == null ? List.of() : List.copyOf(constraints);
    }

    /** Without constraints. */
    public StudyConfig(SearchSpace space, int maxTrials, int maxFailedTrials, int parallel, Duration timeout) {
        this(space, maxTrials, maxFailedTrials, parallel, timeout, List.of());
    }
}
