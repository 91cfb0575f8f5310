package dev.hone.server;

import dev.hone.build.Build;
import dev.hone.retention.Sweep;
import dev.hone.run.RunStatus;
import dev.hone.store.RunQueue;
import dev.hone.store.Store;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The server's Prometheus metrics (Micrometer): {@code hone_queue_depth}, {@code hone_runs{status}},
 * {@code hone_trial_duration_seconds{state}} and {@code hone_queue_wait_seconds} (histograms: {@code _bucket{le}},
 * {@code _count}, {@code _sum}), {@code hone_webhook_deliveries_total{provider,outcome}} and
 * {@code hone_polls_total{outcome}}, {@code hone_retention_freed_bytes_total{kind}} and
 * {@code hone_retention_freed_items_total{kind}} (what sweeps deleted: workspaces, logs, runs),
 * {@code hone_retention_failures_total}, {@code hone_build_info{version,commit}} (always 1),
 * {@code hone_project_best_value{project,direction}} and {@code hone_project_target{project,direction}}
 * ({@link ProjectGauges}); and the JVM's and the process's ({@code jvm_*}, {@code process_*}, {@code system_*}).
 * Run counts and projects come from the store, read at most once a second.
 */
public final class ServerMetrics {

    /** The bounds of the trial duration histogram: a second to a day. */
    static final List<Duration> TRIAL_BUCKETS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2),
            Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1),
            Duration.ofHours(2), Duration.ofHours(6), Duration.ofHours(12), Duration.ofHours(24));
    /** The bounds of the queue wait histogram: 100 ms to 6 hours. */
    static final List<Duration> WAIT_BUCKETS = List.of(Duration.ofMillis(100), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(30),
            Duration.ofHours(1), Duration.ofHours(6));

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final RunQueue queue;
    private final InstantSource clock;
    private final ProjectGauges projects;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Timer queueWait;
    private volatile Map<RunStatus, Long> counts = Map.of();
    private volatile Instant countedAt = Instant.MIN;
    private Instant projectsReadAt = Instant.MIN;

    ServerMetrics(Store store, InstantSource clock, Build build) {
        this.queue = store.queue();
        this.clock = clock;
        this.projects = new ProjectGauges(store, registry);
        Gauge.builder("hone.build.info", () -> 1).tag("version", build.version() == null ? Build.UNKNOWN
                        : build.version()).tag("commit", build.commit())
                .description("The version and commit of this Hone (always 1)").register(registry);
        queueWait = Timer.builder("hone.queue.wait").description("How long runs waited in the queue before they started")
                .serviceLevelObjectives(WAIT_BUCKETS.toArray(Duration[]::new))
                .minimumExpectedValue(WAIT_BUCKETS.getFirst()).maximumExpectedValue(WAIT_BUCKETS.getLast())
                .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
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
        Timer.builder("hone.trial.duration").tag("state", state).description("Trial durations, by how they ended")
                .serviceLevelObjectives(TRIAL_BUCKETS.toArray(Duration[]::new))
                .minimumExpectedValue(TRIAL_BUCKETS.getFirst()).maximumExpectedValue(TRIAL_BUCKETS.getLast())
                .register(registry).record(duration);
    }

    /** A queued run started after waiting {@code waited} in the queue. */
    void queueWait(Duration waited) {
        queueWait.record(waited.isNegative() ? Duration.ZERO : waited);
    }

    /** A gauge read from {@code value} at each scrape ({@code hone.log.streams} is {@code hone_log_streams}). */
    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        refreshProjects();
        return registry.scrape();
    }

    /** Stops listening to the JVM's garbage collections. */
    void close() {
        gc.close();
    }

    private synchronized void refreshProjects() {
        Instant now = clock.instant();
        if (Duration.between(projectsReadAt, now).compareTo(Duration.ofSeconds(1)) >= 0
                || projectsReadAt.isAfter(now)) {
            projects.refresh();
            projectsReadAt = now;
        }
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
