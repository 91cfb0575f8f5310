/**
 * Telling people what happened: the {@link dev.hone.notify.Event}s of a run and the {@link dev.hone.notify.Notifier}
 * channels that deliver them. Every delivery's outcome is recorded.
 */
package dev.hone.notify;
