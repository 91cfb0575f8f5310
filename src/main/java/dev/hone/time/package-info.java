/**
 * Waiting, and saying how long: {@link dev.hone.time.Backoff} (Hone's one exponential back-off),
 * {@link dev.hone.time.Sleeper} (injected, so tests advance a fake clock instead of waiting) and
 * {@link dev.hone.time.Durations} (how every duration is written). A leaf: imports no other Hone package, so every
 * package may use it.
 */
package dev.hone.time;
