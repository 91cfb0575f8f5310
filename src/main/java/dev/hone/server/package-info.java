/**
 * {@code hone serve} without its HTTP edge: the watched repositories ({@link dev.hone.server.Watchlist}: the
 * configured ones and those added at run time), the durable queue's front door ({@link dev.hone.server.Intake}:
 * a push becomes a queued run in the store before it is answered), the scheduler that runs queued runs within the
 * {@link dev.hone.server.QueuePolicy} (coalescing bursts, one run per branch, backoff for unreachable repositories),
 * the poller (an {@code ls-remote} per poll, a fetch only on change), Prometheus metrics and the API token.
 * {@link dev.hone.server.Server} puts them together.
 */
package dev.hone.server;
