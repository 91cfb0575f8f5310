/**
 * One run: checkout → spec → environment → train and tune → events and notifications → summary. The only
 * package that knows every other one; the CLI and the server call it. {@link dev.hone.pipeline.Alerts} records a
 * run's events and routes them to its channels; {@link dev.hone.pipeline.Recovery} lets a restarted
 * {@code hone serve} continue the runs an earlier one did not end, and ends those of a {@code hone run} that died.
 */
package dev.hone.pipeline;
