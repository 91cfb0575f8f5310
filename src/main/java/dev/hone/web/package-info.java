/**
 * The HTTP edge of {@code hone serve} on Javalin: the REST API (projects with the model each serves, runs with their
 * trials, events and logs — streamed to any number of clients from one follower per log, or read by range or last
 * lines —, triggering and cancelling, repositories), the webhook receivers,
 * {@code /health}, Prometheus {@code /metrics} and the dashboard (static pages that read the API).
 * {@link dev.hone.web.WebServer} is the one public type; it speaks {@link dev.hone.server.Server}. JSON is
 * snake_case; errors are {@code {"error": "…"}} with the status that fits.
 */
package dev.hone.web;
