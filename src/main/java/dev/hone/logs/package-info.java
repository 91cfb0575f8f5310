/**
 * A trial's log file: written within {@code limits.log_size} ({@link dev.hone.logs.CappedLog}: its beginning and its
 * end kept, a marker line between them), followed line by line while it grows ({@link dev.hone.logs.LogFollower}),
 * and read by byte range or by its last lines ({@link dev.hone.logs.LogReads}) without holding it in memory.
 */
package dev.hone.logs;
