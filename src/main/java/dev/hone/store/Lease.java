package dev.hone.store;

import java.time.Instant;

/**
 * The lease of a run a controller claimed from the queue ({@link RunQueue#claim(long, String, Instant)}).
 *
 * @param runId      the run
 * @param source     the repository the run came from
 * @param controller the controller that holds it, or held it
 * @param until      when it expires unless renewed
 */
public record Lease(long runId, String source, String controller, Instant until) {}
