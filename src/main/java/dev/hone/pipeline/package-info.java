/**
 * One run: checkout → spec → environment → train and tune → events and notifications → summary. The only
 * package that knows every other one; the CLI and (later) the server call it.
 */
package dev.hone.pipeline;
