package dev.hone.store;

import dev.hone.spec.Spec;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The run queue in SQL through JDBI; the same statements run on SQLite and PostgreSQL. */
final class JdbiRunQueue implements RunQueue {

    private final Database database;

    JdbiRunQueue(Database database) {
        this.database = database;
    }

    @Override
    public long enqueue(NewRun run) {
        return database.inTransaction("queue a run of project " + run.project(),
                handle -> JdbiStore.insertRun(handle, run, QUEUED));
    }

    @Override
    public Optional<Long> enqueueOnce(NewRun run) {
        return database.inTransaction("queue a run of project " + run.project(), handle -> {
            boolean exists = handle.createQuery("""
                            SELECT COUNT(*) FROM runs
                             WHERE source = :source AND commit_sha = :commit
                               AND COALESCE(branch, '') = COALESCE(:branch, '')""")
                    .bind("source", run.source()).bind("commit", run.commit()).bind("branch", run.branch())
                    .mapTo(Long.class).one() > 0;
            return exists ? Optional.<Long>empty() : Optional.of(JdbiStore.insertRun(handle, run, QUEUED));
        });
    }

    @Override
    public List<RunRow> queued() {
        return withStatus(QUEUED);
    }

    @Override
    public List<RunRow> withStatus(String status) {
        return database.withHandle("list " + status + " runs", handle -> handle
                .createQuery(JdbiStore.RUN_COLUMNS + " WHERE r.status = :status ORDER BY r.id")
                .bind("status", status).map(JdbiStore::runRow).list());
    }

    @Override
    public boolean claim(long runId) {
        return move(runId, QUEUED, RUNNING, "claim queued run " + runId);
    }

    @Override
    public boolean requeue(long runId) {
        return move(runId, RUNNING, QUEUED, "put run " + runId + " back in the queue");
    }

    @Override
    public boolean resume(long runId) {
        return database.inTransaction("resume run " + runId, handle -> handle
                .createUpdate("UPDATE runs SET status = :queued, finished_at = NULL WHERE id = :id"
                        + " AND status IN (:running, :interrupted)")
                .bind("queued", QUEUED).bind("running", RUNNING).bind("interrupted", INTERRUPTED).bind("id", runId)
                .execute() == 1);
    }

    @Override
    public boolean endQueued(long runId, String status, EventRow why, Instant at) {
        return database.inTransaction("end queued run " + runId + " as " + status, handle -> {
            int updated = handle.createUpdate("""
                            UPDATE runs SET status = :status, finished_at = :at WHERE id = :id AND status = 'queued'""")
                    .bind("status", status).bind("at", at.toEpochMilli()).bind("id", runId).execute();
            if (updated == 1 && why != null) {
                handle.createUpdate(
                                "INSERT INTO events (run_id, type, message, at) VALUES (:run, :type, :message, :at)")
                        .bind("run", runId).bind("type", why.type()).bind("message", why.message())
                        .bind("at", why.at().toEpochMilli()).execute();
            }
            return updated == 1;
        });
    }

    @Override
    public void assign(long runId, String project, String specYaml, Spec.Metric metric) {
        database.inTransaction("record the project and spec of run " + runId, handle -> {
            handle.createUpdate("""
                            INSERT INTO projects (name, created_at) SELECT :name, created_at FROM runs WHERE id = :id
                            ON CONFLICT (name) DO NOTHING""")
                    .bind("name", project).bind("id", runId).execute();
            long projectId = handle.createQuery("SELECT id FROM projects WHERE name = :name").bind("name", project)
                    .mapTo(Long.class).one();
            return JdbiStore.bindMetric(handle.createUpdate("""
                            UPDATE runs SET project_id = :project, spec_yaml = :spec, metric_name = :metric_name,
                                            metric_direction = :metric_direction, metric_target = :metric_target
                             WHERE id = :id"""), metric)
                    .bind("project", projectId).bind("spec", specYaml).bind("id", runId).execute();
        });
    }

    @Override
    public void resolveCommit(long runId, String sha, String author, String message) {
        database.inTransaction("record the commit of run " + runId, handle -> handle.createUpdate("""
                        UPDATE runs SET commit_sha = :sha, author = COALESCE(:author, author),
                                        message = COALESCE(:message, message) WHERE id = :id""")
                .bind("sha", sha).bind("author", author).bind("message", message).bind("id", runId).execute());
    }

    @Override
    public Map<String, Long> countByStatus() {
        return database.withHandle("count runs by status", handle -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            handle.createQuery("SELECT status, COUNT(*) AS n FROM runs GROUP BY status ORDER BY status")
                    .map((rs, ctx) -> Map.entry(rs.getString("status"), rs.getLong("n")))
                    .forEach(e -> counts.put(e.getKey(), e.getValue()));
            return counts;
        });
    }

    private boolean move(long runId, String from, String to, String operation) {
        return database.inTransaction(operation, handle -> handle
                .createUpdate("UPDATE runs SET status = :to WHERE id = :id AND status = :from")
                .bind("to", to).bind("from", from).bind("id", runId).execute() == 1);
    }
}
