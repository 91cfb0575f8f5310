package dev.hone.store;

import java.time.Instant;

/**
 * An event as the store holds it: of a run ({@code type} is the word of its {@link dev.hone.run.RunEvent}), or of a
 * repository (unreachable, reachable).
 */
public record EventRow(String type, String message, Instant at) {}
