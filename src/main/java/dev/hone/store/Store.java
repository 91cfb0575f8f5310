package dev.hone.store;

import dev.hone.metrics.MetricPoint;
import dev.hone.run.RunEvent;
import dev.hone.run.RunStatus;
import dev.hone.spec.Spec;
import dev.hone.tune.Trial;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * The history: projects, runs, trials, metric points, events, notifications and the notification outbox. Every
 * write is its own transaction, so a crash never leaves half a record. Implementations are thread-safe.
 */
public interface Store extends AutoCloseable {

    /** Creates a run (and its project when new) with status {@code running}; returns its id (1, 2, …). */
    long createRun(NewRun run);

    /**
     * Records the metric of a run recorded without one (by a Hone from before runs kept their metric); a metric
     * already recorded stays.
     */
    void recordMetric(long runId, Spec.Metric metric);

    /** Records what was learnt after the run was created (the detected framework, the executor chosen). */
    void updateRunInfo(long runId, String framework, String executor);

    /** Records the best trial so far of a live run (its number), so that readers see it before the run ends. */
    void recordBest(long runId, int bestTrial);

    /**
     * Records that the token named {@code by} cancelled the run at {@code at} (through the API); the first
     * cancellation of a run is the one kept.
     */
    void recordCancellation(long runId, String by, Instant at);

    /**
     * Records the version of each data source ({@code hone.yaml data:}) the run trains on, by the source as written
     * (a path or URL); a content hash ({@code sha256:…}), an ETag ({@code etag:…}) or a date ({@code modified:…}).
     */
    void recordDataVersions(long runId, Map<String, String> versions);

    /** What {@link #recordDataVersions} recorded for the run, in its order; empty when nothing was. */
    Map<String, String> dataVersions(long runId);

    /** Records what the run's trials need to be trained again exactly (JSON, see {@code hone reproduce}). */
    void recordReproduction(long runId, String json);

    /** What {@link #recordReproduction} recorded; empty for a run recorded without it. */
    Optional<String> reproduction(long runId);

    /** What {@link RunQueue#enqueue(NewRun, String)} kept of a re-run; empty for any other run. */
    Optional<String> rerun(long runId);

    /** Records what the run started from with {@code tune.warm_start}. */
    void recordWarmStart(long runId, WarmStartRow warmStart);

    /** What {@link #recordWarmStart} recorded; empty for a run that started clean. */
    Optional<WarmStartRow> warmStart(long runId);

    /** The newest run of {@code branch} of the repository {@code source}, whatever its status. */
    Optional<RunRow> latestRun(String source, String branch);

    /** Ends a run: its final status, best trial number (null: none). */
    void finishRun(long runId, RunStatus status, Integer bestTrial, Instant finishedAt);

    /**
     * Inserts or replaces trial {@code trial.number()} of a run. A non-empty {@code trial.intermediate()} replaces
     * the trial's stored intermediate values; an empty one leaves those added by {@link #addMetricPoints} alone.
     */
    void saveTrial(long runId, Trial trial, Instant startedAt, String logPath);

    /** Adds intermediate values of a trial; a value for a step already stored replaces it. */
    void addMetricPoints(long runId, int trialNumber, List<MetricPoint> points);

    /**
     * Adds intermediate values of metric {@code name} of a trial, other than the run's own metric (whose go through
     * {@link #addMetricPoints(long, int, List)}); a value for a step already stored replaces it.
     */
    void addMetricPoints(long runId, int trialNumber, String name, List<MetricPoint> points);

    /** Adds an event to the run's log: its type and message, at {@code at}. */
    void addEvent(long runId, RunEvent event, Instant at);

    void addNotification(long runId, NotificationRow notification);

    /**
     * Deletes an ended run and everything recorded of it (trials, metric points, events, notifications, its
     * outbox entries), in one transaction; its project goes too when no run is left in it. False, and nothing
     * deleted, when there is no such run or it is queued, running or interrupted (to be resumed).
     */
    boolean deleteRun(long runId);

    /** Runs, newest first; {@code project} null: all projects. */
    default List<RunRow> runs(String project, int limit, int offset) {
        return runs(project, null, limit, offset);
    }

    /**
     * Runs older than the run {@code before} (its id; null: from the newest), newest first; {@code project} null:
     * all projects. A cursor costs the same on the thousandth page as on the first, where an offset walks past every
     * run before it.
     */
    List<RunRow> runs(String project, Long before, int limit, int offset);

    Optional<RunRow> run(long runId);

    /** How many trials of each of these runs have ended (any state but running); a run with none is left out. */
    Map<Long, Integer> endedTrials(Collection<Long> runIds);

    /** Trials of a run in number order, with their metrics and intermediate values. */
    List<TrialRow> trials(long runId);

    /** At most {@code limit} trials of a run in number order from the {@code offset}-th (0: the first). */
    List<TrialRow> trials(long runId, int limit, int offset);

    /** The run's log, oldest first. */
    List<EventRow> events(long runId);

    /**
     * How many events of each type the whole history holds ({@code container_restarted}, {@code container_gave_up},
     * …), in type order: for {@code /metrics} and the API's counts.
     */
    Map<String, Long> eventCounts();

    List<NotificationRow> notifications(long runId);

    /** The notifications waiting to be sent, being sent, and sent (see {@link Outbox}). */
    Outbox outbox();

    /** The runs {@code hone serve} queued, claimed and superseded (see {@link RunQueue}). */
    RunQueue queue();

    /** The server's repositories, what they were last seen at, and the API token's hash (see {@link Installation}). */
    Installation installation();

    /**
     * A new contender for the lead among the controllers on this store (see {@link Leadership}); the caller closes
     * it.
     */
    Leadership leadership();

    /**
     * Writes a consistent copy of the database to {@code file} (a new or empty file) while others go on writing to
     * it: SQLite's {@code VACUUM INTO}, which reads one snapshot, so every write committed before the copy began is
     * in it and none half made.
     *
     * @throws StoreException when the store is PostgreSQL (pg_dump copies it) or the copy cannot be written
     */
    void copyTo(Path file);

    /**
     * Tells {@code listener} the id of each run whose status, trials, best trial or events this process changes (the
     * run queue's writes too), on the writing thread once the write has committed: what it then reads of the run
     * includes the change. Keep it short (hand the id to a thread of your own). What other processes sharing the
     * store change is not told: look at the store for that.
     */
    Watch watchRuns(LongConsumer listener);

    /** Stops a {@link #watchRuns} listener. */
    interface Watch extends AutoCloseable {
        @Override
        void close();
    }

    /** Names of the projects that have runs, in alphabetical order. */
    List<String> projects();

    @Override
    void close();
}
