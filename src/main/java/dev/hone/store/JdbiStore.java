package dev.hone.store;

import java.util.LinkedHashMap;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.hone.metrics.MetricPoint;
import dev.hone.run.Usage;
import dev.hone.run.DeliveryStatus;
import dev.hone.run.RunEvent;
import dev.hone.run.RunStatus;
import dev.hone.spec.Spec;
import dev.hone.tune.Direction;
import dev.hone.tune.Trial;
import dev.hone.tune.TrialState;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.StatementContext;

/** The history in SQL through JDBI; the same statements run on SQLite and PostgreSQL. */
final class JdbiStore implements Store {

    static final String RUN_COLUMNS = """
            SELECT r.id, p.name AS project, r.source, r.commit_sha, r.branch, r.author, r.message, r.status,
                   r.framework, r.executor, r.spec_yaml, r.metric_name, r.metric_direction, r.metric_target,
                   r.best_trial, b.value AS best_value,
                   (SELECT COUNT(*) FROM trials c WHERE c.run_id = r.id) AS trial_count, r.created_at, r.finished_at,
                   r.cancelled_by, r.cancelled_at
              FROM runs r
              JOIN projects p ON p.id = r.project_id
              LEFT JOIN trials b ON b.run_id = r.id AND b.number = r.best_trial
            """;

    private final Database database;
    private static final ObjectMapper DATA_JSON = new ObjectMapper();
    private final ParamsJson json = new ParamsJson();
    private final Outbox outbox;

    JdbiStore(Database database) {
        this.database = database;
        this.outbox = new JdbiOutbox(database);
    }

    @Override
    public long createRun(NewRun run) {
        long id = database.inTransaction("create a run of project " + run.project(),
                handle -> insertRun(handle, run, RunStatus.RUNNING));
        database.changes().told(id, null);
        return id;
    }

    /** Inserts {@code run} with {@code status} (and its project when new); returns its id. */
    static long insertRun(Handle handle, NewRun run, RunStatus status) {
        Objects.requireNonNull(run.project(), "project");
        Objects.requireNonNull(run.createdAt(), "createdAt");
        handle.createUpdate("INSERT INTO projects (name, created_at) VALUES (:name, :at) ON CONFLICT (name) DO NOTHING")
                .bind("name", run.project()).bind("at", millis(run.createdAt())).execute();
        long projectId = handle.createQuery("SELECT id FROM projects WHERE name = :name")
                .bind("name", run.project()).mapTo(Long.class).one();
        return bindMetric(handle.createUpdate("""
                        INSERT INTO runs (project_id, source, commit_sha, branch, author, message, status, spec_yaml,
                                          metric_name, metric_direction, metric_target, created_at)
                        VALUES (:project, :source, :commit, :branch, :author, :message, :status, :spec,
                                :metric_name, :metric_direction, :metric_target, :at)"""), run.metric())
                .bind("project", projectId).bind("source", run.source()).bind("commit", run.commit())
                .bind("branch", run.branch()).bind("author", run.author()).bind("message", run.message())
                .bind("status", status).bind("spec", run.specYaml()).bind("at", millis(run.createdAt()))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    /** Binds {@code :metric_name}, {@code :metric_direction} and {@code :metric_target} (all null: no metric). */
    static <S extends SqlStatement<S>> S bindMetric(S statement, Spec.Metric metric) {
        return statement.bind("metric_name", metric == null ? null : metric.name())
                .bind("metric_direction", metric == null ? null : metric.direction().label())
                .bind("metric_target", metric == null ? null : metric.target());
    }

    @Override
    public void recordMetric(long runId, Spec.Metric metric) {
        Objects.requireNonNull(metric, "metric");
        database.inTransaction("record the metric of run " + runId, handle -> bindMetric(handle.createUpdate("""
                        UPDATE runs SET metric_name = :metric_name, metric_direction = :metric_direction,
                                        metric_target = :metric_target
                         WHERE id = :id AND metric_name IS NULL"""), metric).bind("id", runId).execute());
    }

    @Override
    public void updateRunInfo(long runId, String framework, String executor) {
        String operation = "record framework and executor of run " + runId;
        database.inTransaction(operation, handle -> requireRun(operation, runId, handle
                .createUpdate("UPDATE runs SET framework = :framework, executor = :executor WHERE id = :id")
                .bind("framework", framework).bind("executor", executor).bind("id", runId).execute()));
    }

    @Override
    public void recordBest(long runId, int bestTrial) {
        String operation = "record the best trial of run " + runId;
        database.inTransaction(operation, handle -> requireRun(operation, runId, handle
                .createUpdate("UPDATE runs SET best_trial = :best WHERE id = :id")
                .bind("best", bestTrial).bind("id", runId).execute()));
        database.changes().told(runId, null);
    }

    @Override
    public void recordCancellation(long runId, String by, Instant at) {
        String operation = "record who cancelled run " + runId;
        database.inTransaction(operation, handle -> handle.createUpdate("""
                        UPDATE runs SET cancelled_by = :by, cancelled_at = :at WHERE id = :id AND cancelled_at IS NULL""")
                .bind("by", by).bind("at", millis(at)).bind("id", runId).execute());
        database.changes().told(runId, null);
    }

    @Override
    public void recordDataVersions(long runId, Map<String, String> versions) {
        String operation = "record the data versions of run " + runId;
        String text;
        try {
            text = DATA_JSON.writeValueAsString(versions);
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot " + operation + ": " + e.getOriginalMessage(), e);
        }
        database.inTransaction(operation, handle -> requireRun(operation, runId, handle
                .createUpdate("UPDATE runs SET data_versions = :versions WHERE id = :id")
                .bind("versions", text).bind("id", runId).execute()));
    }

    @Override
    public void recordReproduction(long runId, String json) {
        String operation = "record how to reproduce run " + runId;
        database.inTransaction(operation, handle -> requireRun(operation, runId, handle
                .createUpdate("UPDATE runs SET reproduction = :json WHERE id = :id")
                .bind("json", json).bind("id", runId).execute()));
    }

    @Override
    public void recordWarmStart(long runId, WarmStartRow warmStart) {
        String operation = "record what run " + runId + " started from";
        String text;
        try {
            text = DATA_JSON.writeValueAsString(warmStart);
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot " + operation + ": " + e.getOriginalMessage(), e);
        }
        database.inTransaction(operation, handle -> requireRun(operation, runId, handle
                .createUpdate("UPDATE runs SET warm_start = :json WHERE id = :id")
                .bind("json", text).bind("id", runId).execute()));
    }

    @Override
    public Optional<WarmStartRow> warmStart(long runId) {
        String operation = "read what run " + runId + " started from";
        String text = database.withHandle(operation, handle -> handle
                .createQuery("SELECT warm_start FROM runs WHERE id = :id").bind("id", runId)
                .mapTo(String.class).findOne().orElse(null));
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(DATA_JSON.readValue(text, WarmStartRow.class));
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot " + operation + ": " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public Optional<String> reproduction(long runId) {
        return database.withHandle("read how to reproduce run " + runId, handle -> handle
                .createQuery("SELECT reproduction FROM runs WHERE id = :id").bind("id", runId)
                .mapTo(String.class).findOne());
    }

    @Override
    public Optional<String> rerun(long runId) {
        return database.withHandle("read what run " + runId + " makes again", handle -> handle
                .createQuery("SELECT rerun FROM runs WHERE id = :id").bind("id", runId)
                .mapTo(String.class).findOne());
    }

    @Override
    public Map<String, String> dataVersions(long runId) {
        String text = database.withHandle("read the data versions of run " + runId, handle -> handle
                .createQuery("SELECT data_versions FROM runs WHERE id = :id").bind("id", runId)
                .mapTo(String.class).findOne().orElse(null));
        if (text == null) {
            return Map.of();
        }
        try {
            return DATA_JSON.readValue(text, new TypeReference<LinkedHashMap<String, String>>() {});
        } catch (JsonProcessingException e) {
            throw new StoreException("the data versions of run " + runId + " are not JSON: " + text, e);
        }
    }

    @Override
    public Optional<RunRow> latestRun(String source, String branch) {
        return database.withHandle("find the latest run of " + branch + " of " + source, handle -> handle
                .createQuery(RUN_COLUMNS + " WHERE r.source = :source AND r.branch = :branch ORDER BY r.id DESC LIMIT 1")
                .bind("source", source).bind("branch", branch).map(JdbiStore::runRow).findOne());
    }

    @Override
    public void finishRun(long runId, RunStatus status, Integer bestTrial, Instant finishedAt) {
        String operation = "finish run " + runId;
        database.inTransaction(operation, handle -> requireRun(operation, runId, handle
                .createUpdate("UPDATE runs SET status = :status, best_trial = :best, finished_at = :at WHERE id = :id")
                .bind("status", status).bind("best", bestTrial).bind("at", millis(finishedAt)).bind("id", runId)
                .execute()));
        database.changes().told(runId, null);
    }

    @Override
    public void saveTrial(long runId, Trial trial, Instant startedAt, String logPath) {
        String params = json.write(trial.params());
        Usage used = trial.resources();
        database.inTransaction("save trial " + trial.number() + " of run " + runId, handle -> {
            handle.createUpdate("""
                            INSERT INTO trials (run_id, number, params_json, state, value, exit_code, duration_ms, error,
                                                diff, started_at, log_path, metrics_json, wall_ms, cpu_ms,
                                                peak_memory_bytes, gpu_memory_peak_bytes, gpu_utilization_mean,
                                                resources_source)
                            VALUES (:run, :number, :params, :state, :value, :exit, :duration, :error, :diff, :started, :log,
                                    :metrics, :wall, :cpu, :memory, :gpuMemory, :gpuUtilization, :resourcesSource)
                            ON CONFLICT (run_id, number) DO UPDATE SET
                                params_json = excluded.params_json, state = excluded.state, value = excluded.value,
                                exit_code = excluded.exit_code, duration_ms = excluded.duration_ms,
                                error = excluded.error, diff = excluded.diff, started_at = excluded.started_at,
                                log_path = excluded.log_path, metrics_json = excluded.metrics_json,
                                wall_ms = excluded.wall_ms, cpu_ms = excluded.cpu_ms,
                                peak_memory_bytes = excluded.peak_memory_bytes,
                                gpu_memory_peak_bytes = excluded.gpu_memory_peak_bytes,
                                gpu_utilization_mean = excluded.gpu_utilization_mean,
                                resources_source = excluded.resources_source""")
                    .bind("run", runId).bind("number", trial.number()).bind("params", params)
                    .bind("metrics", json.writeMetrics(trial.metrics()))
                    .bind("wall", used == null ? null : used.wall().toMillis())
                    .bind("cpu", used == null || used.cpu() == null ? null : used.cpu().toMillis())
                    .bind("memory", used == null ? null : used.peakMemoryBytes())
                    .bind("gpuMemory", used == null ? null : used.gpuMemoryPeakBytes())
                    .bind("gpuUtilization", used == null ? null : finite(used.gpuUtilizationMean()))
                    .bind("resourcesSource", used == null ? null : used.source())
                    .bind("state", trial.state().label()).bind("value", finite(trial.value()))
                    .bind("exit", trial.exitCode()).bind("duration", trial.durationMs()).bind("error", trial.error())
                    .bind("diff", trial.diff()).bind("started", millis(startedAt)).bind("log", logPath).execute();
            List<MetricPoint> points = trial.intermediate() == null ? List.of() : trial.intermediate();
            if (!points.isEmpty()) {
                handle.createUpdate("DELETE FROM metric_points WHERE run_id = :run AND trial_number = :number")
                        .bind("run", runId).bind("number", trial.number()).execute();
                insertPoints(handle, runId, trial.number(), points);
            }
            return null;
        });
        database.changes().told(runId, null);
    }

    @Override
    public void addMetricPoints(long runId, int trialNumber, List<MetricPoint> points) {
        if (points.isEmpty()) {
            return;
        }
        database.inTransaction("add metric points of trial " + trialNumber + " of run " + runId,
                handle -> insertPoints(handle, runId, trialNumber, points));
    }

    @Override
    public void addMetricPoints(long runId, int trialNumber, String name, List<MetricPoint> points) {
        if (points.isEmpty()) {
            return;
        }
        database.inTransaction("add " + name + " points of trial " + trialNumber + " of run " + runId, handle -> {
            PreparedBatch batch = handle.prepareBatch("""
                    INSERT INTO trial_metric_points (run_id, trial_number, name, step, value)
                    VALUES (:run, :trial, :name, :step, :value)
                    ON CONFLICT (run_id, trial_number, name, step) DO UPDATE SET value = excluded.value""");
            for (MetricPoint point : points) {
                batch.bind("run", runId).bind("trial", trialNumber).bind("name", name).bind("step", point.step())
                        .bind("value", finite(point.value())).add();
            }
            batch.execute();
            return null;
        });
    }

    @Override
    public void addEvent(long runId, RunEvent event, Instant at) {
        database.inTransaction("add event " + event.type() + " to run " + runId,
                handle -> insertEvent(handle, runId, event, at));
        database.changes().told(runId, null);
    }

    static int insertEvent(Handle handle, long runId, RunEvent event, Instant at) {
        return handle.createUpdate("INSERT INTO events (run_id, type, message, at) VALUES (:run, :type, :message, :at)")
                .bind("run", runId).bind("type", event.type()).bind("message", event.message())
                .bind("at", millis(at)).execute();
    }

    @Override
    public void addNotification(long runId, NotificationRow notification) {
        database.inTransaction("add " + notification.channel() + " notification to run " + runId, handle -> handle
                .createUpdate("""
                        INSERT INTO notifications (run_id, event, channel, status, detail, at)
                        VALUES (:run, :event, :channel, :status, :detail, :at)""")
                .bind("run", runId).bind("event", notification.event()).bind("channel", notification.channel())
                .bind("status", notification.status()).bind("detail", notification.detail())
                .bind("at", millis(notification.at())).execute());
    }

    @Override
    public List<RunRow> runs(String project, Long before, int limit, int offset) {
        if (limit < 0 || offset < 0) {
            throw new IllegalArgumentException("limit and offset must not be negative: " + limit + ", " + offset);
        }
        List<String> conditions = new ArrayList<>();
        if (project != null) {
            // the project's id first, so that the planner walks runs_by_project (project_id, id) backwards
            conditions.add("r.project_id = (SELECT id FROM projects WHERE name = :project)");
        }
        if (before != null) {
            conditions.add("r.id < :before");
        }
        String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        return database.withHandle(project == null ? "list runs" : "list runs of project " + project, handle -> {
            Query query = handle.createQuery(RUN_COLUMNS + where + " ORDER BY r.id DESC LIMIT :limit OFFSET :offset")
                    .bind("limit", limit).bind("offset", offset);
            if (project != null) {
                query.bind("project", project);
            }
            if (before != null) {
                query.bind("before", before);
            }
            return query.map(JdbiStore::runRow).list();
        });
    }

    @Override
    public boolean deleteRun(long runId) {
        return database.changes().told(runId, database.inTransaction("delete run " + runId, handle -> {
            Optional<RunStatus> status = handle.createQuery("SELECT status FROM runs WHERE id = :id")
                    .bind("id", runId).mapTo(RunStatus.class).findOne();
            if (status.isEmpty() || status.get().live() || status.get() == RunStatus.INTERRUPTED) {
                return false;
            }
            long projectId = handle.createQuery("SELECT project_id FROM runs WHERE id = :id").bind("id", runId)
                    .mapTo(Long.class).one();
            for (String table : List.of("trial_metric_points", "metric_points", "trials", "events", "notifications",
                    "outbox")) {
                handle.createUpdate("DELETE FROM " + table + " WHERE run_id = :id").bind("id", runId).execute();
            }
            handle.createUpdate("DELETE FROM runs WHERE id = :id").bind("id", runId).execute();
            handle.createUpdate("DELETE FROM projects WHERE id = :project "
                    + "AND NOT EXISTS (SELECT 1 FROM runs WHERE project_id = :project)")
                    .bind("project", projectId).execute();
            return true;
        }));
    }

    @Override
    public Optional<RunRow> run(long runId) {
        return database.withHandle("read run " + runId, handle -> handle
                .createQuery(RUN_COLUMNS + " WHERE r.id = :id").bind("id", runId).map(JdbiStore::runRow).findOne());
    }

    @Override
    public Map<Long, Integer> endedTrials(Collection<Long> runIds) {
        if (runIds.isEmpty()) {
            return Map.of();
        }
        return database.withHandle("count the ended trials of runs " + runIds, handle -> {
            Map<Long, Integer> ended = new HashMap<>();
            handle.createQuery("""
                            SELECT run_id, COUNT(*) AS ended FROM trials
                             WHERE run_id IN (<runs>) AND state <> :running GROUP BY run_id""")
                    .bindList("runs", List.copyOf(runIds)).bind("running", TrialState.RUNNING.label())
                    .map((rs, ctx) -> Map.entry(rs.getLong("run_id"), rs.getInt("ended")))
                    .forEach(e -> ended.put(e.getKey(), e.getValue()));
            return ended;
        });
    }

    @Override
    public List<TrialRow> trials(long runId) {
        return database.withHandle("read trials of run " + runId,
                handle -> trialsNumbered(handle, runId, Integer.MIN_VALUE, Integer.MAX_VALUE));
    }

    @Override
    public List<TrialRow> trials(long runId, int limit, int offset) {
        return database.withHandle("read trials of run " + runId + " (" + limit + " from " + offset + ")", handle -> {
            List<Integer> numbers = handle.createQuery("""
                            SELECT number FROM trials WHERE run_id = :run ORDER BY number LIMIT :limit OFFSET :offset""")
                    .bind("run", runId).bind("limit", limit).bind("offset", offset).mapTo(Integer.class).list();
            return numbers.isEmpty() ? List.of()
                    : trialsNumbered(handle, runId, numbers.getFirst(), numbers.getLast());
        });
    }

    /** The trials numbered {@code from} to {@code to} (both included), with their intermediate values. */
    private List<TrialRow> trialsNumbered(Handle handle, long runId, int from, int to) {
        Map<Integer, List<MetricPoint>> points = new HashMap<>();
        handle.createQuery("""
                        SELECT trial_number, step, value FROM metric_points
                         WHERE run_id = :run AND trial_number BETWEEN :from AND :to ORDER BY trial_number, step""")
                .bind("run", runId).bind("from", from).bind("to", to)
                .map((rs, ctx) -> Map.entry(rs.getInt("trial_number"),
                        new MetricPoint(rs.getLong("step"), doubleOr(rs, "value", Double.NaN))))
                .forEach(point -> points.computeIfAbsent(point.getKey(), n -> new ArrayList<>())
                        .add(point.getValue()));
        Map<Integer, Map<String, List<MetricPoint>>> others = new HashMap<>();
        handle.createQuery("""
                        SELECT trial_number, name, step, value FROM trial_metric_points
                         WHERE run_id = :run AND trial_number BETWEEN :from AND :to ORDER BY trial_number, name, step""")
                .bind("run", runId).bind("from", from).bind("to", to)
                .map((rs, ctx) -> Map.entry(rs.getInt("trial_number"), Map.entry(rs.getString("name"),
                        new MetricPoint(rs.getLong("step"), doubleOr(rs, "value", Double.NaN)))))
                .forEach(point -> others.computeIfAbsent(point.getKey(), n -> new TreeMap<>())
                        .computeIfAbsent(point.getValue().getKey(), n -> new ArrayList<>())
                        .add(point.getValue().getValue()));
        return handle.createQuery("""
                        SELECT * FROM trials WHERE run_id = :run AND number BETWEEN :from AND :to ORDER BY number""")
                .bind("run", runId).bind("from", from).bind("to", to)
                .map((rs, ctx) -> trialRow(rs, points.getOrDefault(rs.getInt("number"), List.of()),
                        others.getOrDefault(rs.getInt("number"), Map.of())))
                .list();
    }

    @Override
    public Map<String, Long> eventCounts() {
        return database.withHandle("count events by type", handle -> {
            Map<String, Long> counts = new TreeMap<>();
            handle.createQuery("SELECT type, COUNT(*) AS n FROM events GROUP BY type")
                    .map((rs, ctx) -> Map.entry(rs.getString("type"), rs.getLong("n")))
                    .forEach(e -> counts.put(e.getKey(), e.getValue()));
            return counts;
        });
    }

    @Override
    public List<EventRow> events(long runId) {
        return database.withHandle("read events of run " + runId, handle -> handle
                .createQuery("SELECT type, message, at FROM events WHERE run_id = :run ORDER BY id")
                .bind("run", runId)
                .map((rs, ctx) -> new EventRow(rs.getString("type"), rs.getString("message"), instant(rs, "at")))
                .list());
    }

    @Override
    public List<NotificationRow> notifications(long runId) {
        return database.withHandle("read notifications of run " + runId, handle -> handle
                .createQuery("SELECT event, channel, status, detail, at FROM notifications WHERE run_id = :run ORDER BY id")
                .bind("run", runId)
                .map((rs, ctx) -> new NotificationRow(rs.getString("event"), rs.getString("channel"),
                        Labels.column(rs, "status", DeliveryStatus.class, ctx), rs.getString("detail"),
                        instant(rs, "at")))
                .list());
    }

    @Override
    public void copyTo(Path file) {
        String operation = "copy the store to " + file;
        if (database.location().vendor() != StoreLocation.Vendor.SQLITE) {
            throw database.failure(operation, "it is PostgreSQL, which pg_dump copies (pg_dump -Fc -f FILE DATABASE)");
        }
        // outside a transaction: VACUUM INTO takes its own read snapshot and leaves writers (WAL) free
        database.withHandle(operation, handle -> handle.createUpdate("VACUUM INTO :file")
                .bind("file", file.toAbsolutePath().toString()).execute());
    }

    @Override
    public List<String> projects() {
        return database.withHandle("list projects", handle -> handle
                .createQuery("SELECT name FROM projects ORDER BY name").mapTo(String.class).list());
    }

    @Override
    public Outbox outbox() {
        return outbox;
    }

    @Override
    public Watch watchRuns(LongConsumer listener) {
        return database.changes().add(listener);
    }

    @Override
    public RunQueue queue() {
        return new JdbiRunQueue(database);
    }

    @Override
    public Installation installation() {
        return new JdbiInstallation(database);
    }

    @Override
    public Leadership leadership() {
        return switch (database.location().vendor()) {
            case SQLITE -> new FileLeadership(database.location().file());
            case POSTGRESQL -> new AdvisoryLeadership(database);
        };
    }

    @Override
    public void close() {
        database.close();
    }

    @Override
    public String toString() {
        return "store " + database.location();
    }

    private Void requireRun(String operation, long runId, int updated) {
        if (updated == 0) {
            throw database.failure(operation, "there is no run " + runId);
        }
        return null;
    }

    private static Void insertPoints(Handle handle, long runId, int trialNumber, List<MetricPoint> points) {
        PreparedBatch batch = handle.prepareBatch("""
                INSERT INTO metric_points (run_id, trial_number, step, value) VALUES (:run, :trial, :step, :value)
                ON CONFLICT (run_id, trial_number, step) DO UPDATE SET value = excluded.value""");
        for (MetricPoint point : points) {
            batch.bind("run", runId).bind("trial", trialNumber).bind("step", point.step())
                    .bind("value", finite(point.value())).add();
        }
        batch.execute();
        return null;
    }

    private TrialRow trialRow(ResultSet rs, List<MetricPoint> points, Map<String, List<MetricPoint>> others)
            throws SQLException {
        Trial trial = new Trial(rs.getInt("number"), json.read(rs.getString("params_json")),
                TrialState.valueOf(rs.getString("state").toUpperCase(Locale.ROOT)), doubleOr(rs, "value", null),
                List.copyOf(points), integer(rs, "exit_code"), rs.getLong("duration_ms"), rs.getString("error"),
                rs.getString("diff"), json.readMetrics(rs.getString("metrics_json")), resources(rs));
        return new TrialRow(rs.getLong("run_id"), trial, instant(rs, "started_at"), rs.getString("log_path"),
                others);
    }

    static RunRow runRow(ResultSet rs, StatementContext ctx) throws SQLException {
        return new RunRow(rs.getLong("id"), rs.getString("project"), rs.getString("source"),
                rs.getString("commit_sha"), rs.getString("branch"), rs.getString("author"), rs.getString("message"),
                Labels.column(rs, "status", RunStatus.class, ctx), rs.getString("framework"),
                rs.getString("executor"),
                rs.getString("spec_yaml"), metric(rs), integer(rs, "best_trial"), doubleOr(rs, "best_value", null),
                rs.getInt("trial_count"), instant(rs, "created_at"), instant(rs, "finished_at"),
                rs.getString("cancelled_by"), instant(rs, "cancelled_at"));
    }

    private static Spec.Metric metric(ResultSet rs) throws SQLException {
        String name = rs.getString("metric_name");
        return name == null ? null : new Spec.Metric(name,
                Direction.valueOf(rs.getString("metric_direction").toUpperCase(Locale.ROOT)),
                doubleOr(rs, "metric_target", null));
    }

    private static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    /** Non-finite numbers are no value: SQLite would store NaN as NULL anyway, PostgreSQL is made to agree. */
    private static Double finite(Double value) {
        return value == null || !Double.isFinite(value) ? null : value;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    /** What a stored trial used; null when not known. */
    private static Usage resources(ResultSet rs) throws SQLException {
        Long wall = longOr(rs, "wall_ms");
        if (wall == null) {
            return null;
        }
        Long cpu = longOr(rs, "cpu_ms");
        return new Usage(Duration.ofMillis(wall), cpu == null ? null : Duration.ofMillis(cpu),
                longOr(rs, "peak_memory_bytes"), longOr(rs, "gpu_memory_peak_bytes"),
                doubleOr(rs, "gpu_utilization_mean", null), rs.getString("resources_source"));
    }

    private static Long longOr(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static Integer integer(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    private static Double doubleOr(ResultSet rs, String column, Double whenNull) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? whenNull : Double.valueOf(value);
    }
}
