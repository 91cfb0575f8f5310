/**
 * Waiting, and saying how long: {@link dev.hone.time.Sleeper} (injected, so tests advance a fake clock instead of
 * waiting). A leaf: imports no other Hone package, so every package may use it.
 */
package dev.hone.time;
