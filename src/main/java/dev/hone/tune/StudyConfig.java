package dev.hone.tune;

import java.time.Duration;
import java.util.List;

/**
 * The study's budgets. {@code timeout} null: none. {@code constraints}: bounds on other metrics a trial must keep to
 * reach the target or be the best ({@code metric.constraints}). {@code confirm} null: a trial that reaches the target
 * ends the study at once; else it is repeated first ({@code metric.confirm}), repeat k with {@code HONE_SEED} =
 * {@code seed} + k, and the repeats count against {@code maxTrials}.
 */
public record StudyConfig(SearchSpace space, int maxTrials, int maxFailedTrials, int parallel, Duration timeout,
                          List<Constraint> constraints, Confirm confirm, long seed) {

    public StudyConfig {
        constraints = constraints == null ? List.of() : List.copyOf(constraints);
    }

    /** Without confirmation. */
    public StudyConfig(SearchSpace space, int maxTrials, int maxFailedTrials, int parallel, Duration timeout,
                       List<Constraint> constraints) {
        this(space, maxTrials, maxFailedTrials, parallel, timeout, constraints, null, 0);
    }

    /** Without constraints. */
    public StudyConfig(SearchSpace space, int maxTrials, int maxFailedTrials, int parallel, Duration timeout) {
        this(space, maxTrials, maxFailedTrials, parallel, timeout, List.of());
    }

    /** This config, confirming a trial that reaches the target with {@code confirm} (null: not), seeds from {@code seed}. */
    public StudyConfig confirming(Confirm confirm, long seed) {
        return new StudyConfig(space, maxTrials, maxFailedTrials, parallel, timeout, constraints, confirm, seed);
    }
}
