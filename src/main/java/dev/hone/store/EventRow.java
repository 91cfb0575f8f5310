package dev.hone.store;

import java.time.Instant;

/** An event of a run: {@code type} is the summary's word (training_failed, target_reached, …). */
public record EventRow(String type, String message, Instant at) {}
