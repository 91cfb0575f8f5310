package dev.hone.store;

import dev.hone.tune.Trial;
import java.time.Instant;

/** A trial as stored, with when it started and where its log is. */
public record TrialRow(long runId, Trial trial, Instant startedAt, String logPath) {}
