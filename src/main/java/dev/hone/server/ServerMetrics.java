package dev.hone.server;

import dev.hone.retention.Sweep;
import dev.hone.run.RunStatus;
import dev.hone.store.RunQueue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The server's Prometheus metrics (Micrometer): {@code hone_queue_depth}, {@code hone_runs{status}},
 * {@code hone_trial_duration_seconds{state}}, {@code hone_webhook_deliveries_total{provider,outcome}} and
 * {@code hone_polls_total{outcome}}, {@code hone_retention_freed_bytes_total{kind}} and
 * {@code hone_retention_freed_items_total{kind}} (what sweeps deleted: workspaces, logs, runs),
 * {@code hone_retention_failures_total}. Run counts come from the store, read at most once a second.
 */
public final class ServerMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final RunQueue queue;
    private final InstantSource clock;
    private volatile Map<RunStatus, Long> counts = Map.of();
    private volatile Instant countedAt = Instant.MIN;

    ServerMetrics(RunQueue queue, InstantSource clock) {
        this.queue = queue;
        this.clock = clock;
        Gauge.builder("hone.queue.depth", this, m -> m.count(RunStatus.QUEUED))
                .description("Runs waiting in the queue").register(registry);
        for (RunStatus status : RunStatus.values()) {
            Gauge.builder("hone.runs", this, m -> m.count(status)).tag("status", status.label())
                    .description("Runs in the store by status").register(registry);
        }
        for (Sweep.Kind kind : Sweep.Kind.values()) { // 0 until a sweep frees something
            freedBytes(kind);
            freedItems(kind);
        }
        failures();
    }

    /** What a sweep deleted, by kind, and the deletions that failed. */
    void retention(Sweep sweep) {
        for (Sweep.Kind kind : Sweep.Kind.values()) {
            freedBytes(kind).increment(sweep.bytes(kind));
            freedItems(kind).increment(sweep.count(kind));
        }
        failures().increment(sweep.failures().size());
    }

    private Counter failures() {
        return Counter.builder("hone.retention.failures").description("Deletions of expired files that failed")
                .register(registry);
    }

    private Counter freedBytes(Sweep.Kind kind) {
        return Counter.builder("hone.retention.freed").baseUnit("bytes").tag("kind", kind.label())
                .description("Bytes freed by retention, by kind: workspaces, logs, runs").register(registry);
    }

    private Counter freedItems(Sweep.Kind kind) {
        return Counter.builder("hone.retention.freed.items").tag("kind", kind.label())
                .description("Files and directories deleted by retention, by kind: workspaces, logs, runs")
                .register(registry);
    }

    /** A webhook delivery was answered: {@code outcome} is queued, ignored, ping, unauthorized, … */
    public void webhook(String provider, String outcome) {
        Counter.builder("hone.webhook.deliveries").tag("provider", provider).tag("outcome", outcome)
                .description("Webhook deliveries by outcome").register(registry).increment();
    }

    void poll(String outcome) {
        Counter.builder("hone.polls").tag("outcome", outcome).description("Polls of watched repositories")
                .register(registry).increment();
    }

    void trial(String state, Duration duration) {
        Timer.builder("hone.trial.duration").tag("state", state).description("Trial durations")
                .register(registry).record(duration);
    }

    /** A gauge read from {@code value} at each scrape ({@code hone.log.streams} is {@code hone_log_streams}). */
    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        return registry.scrape();
    }

    private synchronized double count(RunStatus status) {
        Instant now = clock.instant();
        if (Duration.between(countedAt, now).compareTo(Duration.ofSeconds(1)) >= 0 || countedAt.isAfter(now)) {
            counts = queue.countByStatus();
            countedAt = now;
        }
        return counts.getOrDefault(status, 0L);
    }
}
