package dev.hone.server;

import dev.hone.build.Build;
import dev.hone.data.DataDir;
import dev.hone.dataset.DataVersions;
import dev.hone.notify.Dispatcher;
import dev.hone.pipeline.Alerts;
import dev.hone.pipeline.Pipeline;
import dev.hone.pipeline.Recovery;
import dev.hone.pipeline.RunListener;
import dev.hone.retention.Sweeper;
import dev.hone.serving.Deployments;
import dev.hone.source.GitClient;
import dev.hone.spec.ServerSpec;
import dev.hone.spec.Spec;
import dev.hone.spec.SpecLoader;
import dev.hone.store.RunRow;
import dev.hone.store.Store;
import dev.hone.tune.Trial;
import java.io.PrintStream;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code hone serve} without its HTTP edge: the watched repositories, the durable queue and its scheduler, the
 * poller, the models it serves, the notifications it delivers, the metrics and the API token. {@link #start()}
 * takes up what an earlier Hone left, then starts polling, running and delivering; {@link #stop} stops them gracefully. The web layer ({@code dev.hone.web})
 * talks to it through the accessors.
 */
public final class Server {

    private static final Duration POLL_TICK = Duration.ofMillis(250);
    /** How often the outbox is looked at for notifications no delivery is under way for. */
    private static final Duration DELIVERY_TICK = Duration.ofMinutes(1);
    /** How often what has expired ({@code retention}) is deleted, after once at start. */
    private static final Duration SWEEP_TICK = Duration.ofHours(1);
    /** How often the repositories' schedules are looked at, after once at start. */
    private static final Duration SCHEDULE_TICK = Duration.ofSeconds(1);
    /** How often the data the branches trained on is looked at again ({@code data:}). */
    private static final Duration DATA_TICK = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(Server.class);

    private final Store store;
    private final DataDir dataDir;
    private final Access access;
    private final Watchlist watchlist;
    private final Mirrors mirrors;
    private final ServerMetrics metrics;
    private final Scheduler scheduler;
    private final Intake intake;
    private final Poller poller;
    private final Leases leases;
    private final Deployments deployments;
    private final Dispatcher dispatcher;
    private final Map<String, String> env;
    private final InstantSource clock;
    private final PrintStream console;
    private final ScheduledExecutorService deliveries =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("hone-deliveries").factory());
    private final Sweeper sweeper;
    private final Schedules schedules;
    private final DataWatch dataWatch;
    private final Bisections bisections;
    private final ScheduledExecutorService sweeps =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("hone-retention").factory());
    private final ScheduledExecutorService timers =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("hone-schedules").factory());

    /**
     * @param deployments the models served ({@code serve:}), which the pipelines deploy to
     * @param dispatcher  the notifications of every run, which the pipelines dispatch through; the server resumes
     *                    what the outbox holds unfinished and closes it when it stops
     * @param pipelines   builds the pipeline of one run, telling {@code listener} of its trials
     * @param console     where the server says what it took up at start
     * @param retention   how long what runs leave is kept: what has expired is deleted at start and every hour
     * @param data        reads the versions of the data the branches trained on, to train them again when it changes
     * @param controller  the leases of the runs this controller claims, when several share the store
     */
    public Server(Store store, DataDir dataDir, List<ServerSpec.Repository> configured, QueuePolicy policy,
                  Access access, Map<String, String> env, InstantSource clock, PrintStream console, Deployments deployments,
                  Dispatcher dispatcher, Function<RunListener, Pipeline> pipelines, ServerSpec.Retention retention,
                  DataVersions data, ServerSpec.Controller controller) {
        this.store = store;
        this.deployments = deployments;
        this.dispatcher = dispatcher;
        this.env = env;
        this.clock = clock;
        this.console = console;
        this.dataDir = dataDir;
        this.access = access;
        this.watchlist = new Watchlist(configured, store.installation(), env, clock);
        this.metrics = new ServerMetrics(store, clock, Build.current());
        RepositoryBackoff backoff = new RepositoryBackoff(clock, RepositoryBackoff.UNREACHABLE);
        this.mirrors = new Mirrors(new GitClient(env), dataDir.mirrors());
        RunWorker worker = new RunWorker(store, watchlist, mirrors, backoff, dataDir, clock);
        RunListener listener = new RunListener() {
            @Override
            public void trialFinished(Trial trial, Trial best) {
                metrics.trial(trial.state().label(), Duration.ofMillis(trial.durationMs()));
            }
        };
        String id = Leases.newId();
        this.scheduler = new Scheduler(store, policy, worker, backoff,
                () -> pipelines.apply(listener).claimedBy((project, source) -> watchlist.claimed(project, source,
                        store)).hiding(this::secrets), clock, id, controller.lease(), metrics::queueWait);
        this.leases = new Leases(store, dataDir, watchlist, scheduler, controller, id, clock, console);
        this.intake = new Intake(store.queue(), store.installation(), clock, scheduler::wake,
                new QueuedProjects(store, mirrors, watchlist, env));
        this.poller = new Poller(watchlist, store.installation(), intake, mirrors, backoff, metrics, clock,
                leases::leading);
        this.sweeper = new Sweeper(store, dataDir, retention, env, clock, this::served);
        this.schedules = new Schedules(watchlist, store.installation(), intake, clock);
        this.dataWatch = new DataWatch(watchlist, store, intake, data, env);
        this.bisections = new Bisections(store, watchlist, mirrors,
                request -> pipelines.apply(RunListener.NONE).hiding(this::secrets).run(request), clock);
    }

    /**
     * Contends for the lead among the controllers on the store (refused when another holds a SQLite store), takes up
     * what an earlier Hone left ({@link #recover}), then starts the scheduler (queued runs left by an earlier server
     * are run too), the leases ({@link Leases}), the schedules (a slot missed while Hone was down fires once, now),
     * the data watch and the poller (these three only while this controller leads), the deliveries (notifications
     * an earlier server left undelivered are sent now) and the sweeps of what has expired (one now, then one an
     * hour).
     *
     * @throws dev.hone.error.HoneException when another {@code hone serve} uses the SQLite store
     */
    public void start() {
        leases.contend();
        recover();
        deliveries.scheduleWithFixedDelay(this::resumeDeliveries, 0, DELIVERY_TICK.toMillis(), TimeUnit.MILLISECONDS);
        sweeps.scheduleWithFixedDelay(this::sweep, 0, SWEEP_TICK.toMillis(), TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(leading(schedules::fire), 0, SCHEDULE_TICK.toMillis(), TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(leading(dataWatch::check), DATA_TICK.toMillis(), DATA_TICK.toMillis(),
                TimeUnit.MILLISECONDS);
        scheduler.start();
        leases.start();
        poller.start(POLL_TICK);
    }

    /** {@code work}, done only while this controller leads (of several on one store, one does it). */
    private Runnable leading(Runnable work) {
        return () -> {
            if (leases.leading()) {
                work.run();
            }
        };
    }

    /**
     * Start-up recovery, once per start: the runs an earlier {@code hone serve} did not end are queued again to go
     * on from their trials (not those another controller on the store holds by a lease), those of a {@code hone run} whose process is gone are ended {@code interrupted}, and the
     * models an earlier server served are taken over (on a thread of their own: the daemon may be slow to answer).
     */
    private void recover() {
        List<Long> resumed = Recovery.requeue(store, dataDir, source -> watchlist.bySource(source).isPresent(), clock);
        if (!resumed.isEmpty()) {
            console.println("hone: resuming " + resumed.size() + " run" + (resumed.size() == 1 ? "" : "s")
                    + " an earlier hone serve did not end: " + resumed);
        }
        Recovery.endAbandoned(store, dataDir, clock, env).ifPresent(console::println);
        Thread.ofVirtual().name("hone-adopt-models").start(() -> {
            try {
                deployments.adopt(dataDir.root(), runId -> new Alerts(store, dispatcher, clock, runId,
                        specOfRun(runId).map(Spec::notifications).orElse(null))::report);
            } catch (RuntimeException e) {
                console.println("hone: could not look for the models an earlier hone serve served: "
                        + e.getMessage());
            }
        });
    }

    private void resumeDeliveries() {
        try {
            dispatcher.resume(this::specOfRun);
        } catch (RuntimeException e) {
            LOG.warn("event=deliveries_not_resumed reason=\"{}\"", e.toString());
        }
    }

    /** Deletes what has expired; what it freed goes to the metrics (the sweeper logs it). */
    private void sweep() {
        try {
            metrics.retention(sweeper.sweep());
        } catch (RuntimeException e) {
            LOG.warn("event=retention_sweep_failed reason=\"{}\"", e.toString());
        }
    }

    /** The trials whose models are served now, as the deployments have them. */
    private Set<Sweeper.TrialRef> served() {
        Set<Sweeper.TrialRef> served = new HashSet<>();
        for (String project : store.projects()) {
            deployments.status(project).ifPresent(s -> served.add(new Sweeper.TrialRef(s.runId(), s.trial())));
        }
        return served;
    }

    /**
     * Stops polling and taking runs, cancels the running ones and waits up to {@code grace} for their trials to
     * stop; they end {@code interrupted}. Queued runs stay queued for the next start. Then the models' ports close;
     * their containers go on running, for the next start to take over.
     */
    public void stop(Duration grace) {
        deliveries.shutdownNow();
        sweeps.shutdownNow();
        timers.shutdownNow();
        poller.stop();
        scheduler.stop(grace);
        leases.stop();
        deployments.close();
        dispatcher.close();
        metrics.close();
    }

    /**
     * Polls {@code repository} once now, as the poller does when its interval is up (its branches compared with what
     * was seen last, a changed one queued); how long until it is due again. {@code hone bench webhook} times it.
     */
    public Duration pollOnce(Watched repository) {
        return poller.poll(repository);
    }

    /**
     * Looks at the repositories' schedules now, as the server does every second: each whose latest slot came since
     * it last fired queues its branch heads once. The runs queued.
     */
    public List<Long> fireSchedules() {
        return schedules.fire();
    }

    /**
     * Looks at the data the watched branches trained on now, as the server does every minute: each branch whose
     * latest run trained on a version of a source that is no longer there queues its head. The runs queued.
     */
    public List<Long> checkData() {
        return dataWatch.check();
    }

    /** The spec a run ran with, from its snapshot; empty for an unknown run or one whose spec no longer loads. */
    public Optional<Spec> specOfRun(long runId) {
        return store.run(runId).flatMap(run -> SpecLoader.snapshot(run.specYaml(), run.project(), env));
    }

    /**
     * The text of the {@code hone.yaml} a run's commit holds, read from its repository's mirror without a checkout;
     * else (the mirror is busy fetching, or no longer has the commit) the copy the run kept when it read it. Empty
     * when the commit has none.
     */
    public Optional<String> specFileOfRun(RunRow run) {
        if (run.commit() != null) {
            Optional<String> read = watchlist.bySource(run.source()).flatMap(repository -> mirrors.peek(repository,
                    mirror -> mirror.topLevelFile(run.commit(), SpecLoader.FILE_NAMES)));
            if (read.isPresent()) {
                return read;
            }
        }
        return Optional.ofNullable(run.specYaml());
    }

    /**
     * The secrets the server holds beyond its configuration file: those of every watched repository (added ones
     * too, read from the environment) and the API token it generated this start, if it did.
     */
    private Set<String> secrets() {
        Set<String> secrets = new LinkedHashSet<>(watchlist.secrets());
        access.generatedApiToken().ifPresent(secrets::add);
        return secrets;
    }

    /**
     * Cancels a queued or running run on behalf of the token named {@code by} (recorded on the run, with when): what
     * that did, or empty when it had ended.
     */
    public Optional<Cancellation> cancel(long runId, String by) {
        return scheduler.cancel(runId, by);
    }

    public Store store() {
        return store;
    }

    /** This controller's id, which the runs it claims are leased to. */
    public String controller() {
        return leases.id();
    }

    public DataDir dataDir() {
        return dataDir;
    }

    /** Who may read and write through the API and the dashboard. */
    public Access access() {
        return access;
    }

    public Watchlist watchlist() {
        return watchlist;
    }

    /** The bisections started through the API ({@code POST /api/projects/{name}/bisect}). */
    public Bisections bisections() {
        return bisections;
    }

    public Intake intake() {
        return intake;
    }

    public ServerMetrics metrics() {
        return metrics;
    }

    /** Where the model {@code project} serves stands ({@code serve:}); empty when it serves none. */
    public Optional<Deployments.Status> serving(String project) {
        return deployments.status(project);
    }
}
