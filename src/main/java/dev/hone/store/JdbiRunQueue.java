package dev.hone.store;

import dev.hone.run.RunEvent;
import dev.hone.run.RunStatus;
import dev.hone.spec.Spec;
import java.time.Instant;
import java.util.EnumMap;
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
                handle -> JdbiStore.insertRun(handle, run, RunStatus.QUEUED));
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
            return exists ? Optional.<Long>empty() : Optional.of(JdbiStore.insertRun(handle, run, RunStatus.QUEUED));
        });
    }

    @Override
    public List<RunRow> queued() {
        return withStatus(RunStatus.QUEUED);
    }

    @Override
    public List<RunRow> withStatus(RunStatus status) {
        return database.withHandle("list " + status + " runs", handle -> handle
                .createQuery(JdbiStore.RUN_COLUMNS + " WHERE r.status = :status ORDER BY r.id")
                .bind("status", status).map(JdbiStore::runRow).list());
    }

    @Override
    public boolean claim(long runId) {
        return move(runId, RunStatus.QUEUED, RunStatus.RUNNING, "claim queued run " + runId);
    }

    @Override
    public boolean requeue(long runId) {
        return move(runId, RunStatus.RUNNING, RunStatus.QUEUED, "put run " + runId + " back in the queue");
    }

    @Override
    public boolean resume(long runId) {
        return database.inTransaction("resume run " + runId, handle -> handle
                .createUpdate("UPDATE runs SET status = :to, finished_at = NULL WHERE id = :id"
                        + " AND status IN (<from>)")
                .bind("to", RunStatus.QUEUED).bindList("from", List.of(RunStatus.RUNNING, RunStatus.INTERRUPTED))
                .bind("id", runId)
                .execute() == 1);
    }

    @Override
    public boolean endQueued(long runId, RunStatus status, RunEvent why, Instant at) {
        return database.inTransaction("end queued run " + runId + " as " + status, handle -> {
            int updated = handle.createUpdate("""
                            UPDATE runs SET status = :status, finished_at = :at WHERE id = :id AND status = :from""")
                    .bind("status", status).bind("at", at.toEpochMilli()).bind("id", runId)
                    .bind("from", RunStatus.QUEUED).execute();
            if (updated == 1 && why != null) {
                JdbiStore.insertEvent(handle, runId, why, at);
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
            long queuedUnder = handle.createQuery("SELECT project_id FROM runs WHERE id = :id").bind("id", runId)
                    .mapTo(Long.class).one();
            JdbiStore.bindMetric(handle.createUpdate("""
                            UPDATE runs SET project_id = :project, spec_yaml = :spec, metric_name = :metric_name,
                                            metric_direction = :metric_direction, metric_target = :metric_target
                             WHERE id = :id"""), metric)
                    .bind("project", projectId).bind("spec", specYaml).bind("id", runId).execute();
            if (queuedUnder != projectId) {
                handle.createUpdate("""
                                UPDATE runs SET project_id = :project
                                 WHERE project_id = :queued_under AND status = :queued
                                   AND source = (SELECT source FROM runs WHERE id = :id)""")
                        .bind("project", projectId).bind("queued_under", queuedUnder).bind("queued", RunStatus.QUEUED)
                        .bind("id", runId).execute();
                handle.createUpdate("""
                                DELETE FROM projects
                                 WHERE id = :queued_under
                                   AND NOT EXISTS (SELECT 1 FROM runs WHERE project_id = :queued_under)""")
                        .bind("queued_under", queuedUnder).execute();
            }
            return null;
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
    public Map<RunStatus, Long> countByStatus() {
        return database.withHandle("count runs by status", handle -> {
            Map<RunStatus, Long> counts = new EnumMap<>(RunStatus.class);
            handle.createQuery("SELECT status, COUNT(*) AS n FROM runs GROUP BY status")
                    .map((rs, ctx) -> Map.entry(Labels.column(rs, "status", RunStatus.class, ctx), rs.getLong("n")))
                    .forEach(e -> counts.put(e.getKey(), e.getValue()));
            return counts;
        });
    }

    private boolean move(long runId, RunStatus from, RunStatus to, String operation) {
        return database.inTransaction(operation, handle -> handle
                .createUpdate("UPDATE runs SET status = :to WHERE id = :id AND status = :from")
                .bind("to", to).bind("from", from).bind("id", runId).execute() == 1);
    }
}
