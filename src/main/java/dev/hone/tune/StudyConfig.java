package dev.hone.tune;

import java.time.Duration;

/** The study's budgets. {@code timeout} null: none. */
public record StudyConfig(SearchSpace space, int maxTrials, int maxFailedTrials, int parallel, Duration timeout) {}
