package dev.hone.store;

import dev.hone.run.RunEvent;
import dev.hone.run.RunStatus;
import dev.hone.spec.Spec;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The run queue in SQL through JDBI; the same statements run on SQLite and PostgreSQL. */
final class JdbiRunQueue implements RunQueue {

    /** The statuses of a run a controller holds, or held when it stopped: to be continued. */
    private static final List<RunStatus> HELD = List.of(RunStatus.RUNNING, RunStatus.INTERRUPTED);

    private final Database database;

    JdbiRunQueue(Database database) {
        this.database = database;
    }

    @Override
    public long enqueue(NewRun run) {
        long id = database.inTransaction("queue a run of project " + run.project(),
                handle -> JdbiStore.insertRun(handle, run, RunStatus.QUEUED));
        return database.changes().told(id, id);
    }

    @Override
    public long enqueue(NewRun run, String rerun) {
        return database.inTransaction("queue a re-run of project " + run.project(), handle -> {
            long id = JdbiStore.insertRun(handle, run, RunStatus.QUEUED);
            handle.createUpdate("UPDATE runs SET rerun = :rerun WHERE id = :id").bind("rerun", rerun).bind("id", id)
                    .execute();
            return id;
        });
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
        }).map(id -> database.changes().told(id, id));
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
    public boolean claim(long runId, String controller, Instant leaseUntil) {
        return database.changes().told(runId, database.inTransaction("claim queued run " + runId, handle -> {
            boolean free = handle.createQuery("SELECT id FROM runs WHERE id = :id AND status = :queued"
                            + database.skipLocked())
                    .bind("id", runId).bind("queued", RunStatus.QUEUED).mapTo(Long.class).findOne().isPresent();
            return free && handle.createUpdate("""
                            UPDATE runs SET status = :running, lease_owner = :owner, lease_until = :until
                             WHERE id = :id AND status = :queued""")
                    .bind("running", RunStatus.RUNNING).bind("queued", RunStatus.QUEUED).bind("id", runId)
                    .bind("owner", controller).bind("until", leaseUntil == null ? null : leaseUntil.toEpochMilli())
                    .execute() == 1;
        }));
    }

    @Override
    public Set<Long> renew(String controller, Instant leaseUntil) {
        return database.inTransaction("renew the leases of controller " + controller, handle -> {
            handle.createUpdate("UPDATE runs SET lease_until = :until WHERE lease_owner = :owner AND status = :running")
                    .bind("until", leaseUntil.toEpochMilli()).bind("owner", controller)
                    .bind("running", RunStatus.RUNNING).execute();
            return Set.copyOf(handle.createQuery("SELECT id FROM runs WHERE lease_owner = :owner AND status = :running")
                    .bind("owner", controller).bind("running", RunStatus.RUNNING).mapTo(Long.class).list());
        });
    }

    @Override
    public List<Lease> leaseExpired(Instant now) {
        return database.withHandle("list the runs whose lease expired", handle -> handle
                .createQuery("""
                        SELECT id, source, lease_owner, lease_until FROM runs
                         WHERE status IN (<held>) AND lease_owner IS NOT NULL AND lease_until < :now ORDER BY id""")
                .bindList("held", HELD).bind("now", now.toEpochMilli())
                .map((rs, ctx) -> new Lease(rs.getLong("id"), rs.getString("source"), rs.getString("lease_owner"),
                        Instant.ofEpochMilli(rs.getLong("lease_until"))))
                .list());
    }

    @Override
    public boolean leased(long runId, Instant now) {
        return database.withHandle("read the lease of run " + runId, handle -> handle
                .createQuery("""
                        SELECT COUNT(*) FROM runs
                         WHERE id = :id AND lease_owner IS NOT NULL AND lease_until >= :now""")
                .bind("id", runId).bind("now", now.toEpochMilli()).mapTo(Long.class).one() > 0);
    }

    @Override
    public boolean takeOver(long runId, Instant now) {
        return database.changes().told(runId, database.inTransaction("take over run " + runId, handle -> handle.createUpdate("""
                        UPDATE runs SET status = :queued, finished_at = NULL, lease_owner = NULL, lease_until = NULL
                         WHERE id = :id AND status IN (<held>) AND lease_owner IS NOT NULL AND lease_until < :now""")
                .bind("queued", RunStatus.QUEUED).bindList("held", HELD).bind("id", runId)
                .bind("now", now.toEpochMilli()).execute() == 1));
    }

    @Override
    public void release(String controller) {
        database.inTransaction("release the leases of controller " + controller, handle -> handle
                .createUpdate("UPDATE runs SET lease_until = 0 WHERE lease_owner = :owner AND status IN (<held>)")
                .bind("owner", controller).bindList("held", HELD).execute());
    }

    @Override
    public boolean requeue(long runId) {
        return database.changes().told(runId, database.inTransaction("put run " + runId + " back in the queue",
                handle -> handle
                .createUpdate("""
                        UPDATE runs SET status = :to, lease_owner = NULL, lease_until = NULL
                         WHERE id = :id AND status = :from""")
                .bind("to", RunStatus.QUEUED).bind("from", RunStatus.RUNNING).bind("id", runId).execute() == 1));
    }

    @Override
    public boolean resume(long runId) {
        return database.changes().told(runId, database.inTransaction("resume run " + runId, handle -> handle
                .createUpdate("UPDATE runs SET status = :to, finished_at = NULL, lease_owner = NULL, lease_until = NULL"
                        + " WHERE id = :id AND status IN (<from>)")
                .bind("to", RunStatus.QUEUED).bindList("from", HELD)
                .bind("id", runId)
                .execute() == 1));
    }

    @Override
    public boolean endQueued(long runId, RunStatus status, RunEvent why, Instant at) {
        return database.changes().told(runId, database.inTransaction("end queued run " + runId + " as " + status,
                handle -> {
            int updated = handle.createUpdate("""
                            UPDATE runs SET status = :status, finished_at = :at WHERE id = :id AND status = :from""")
                    .bind("status", status).bind("at", at.toEpochMilli()).bind("id", runId)
                    .bind("from", RunStatus.QUEUED).execute();
            if (updated == 1 && why != null) {
                JdbiStore.insertEvent(handle, runId, why, at);
            }
            return updated == 1;
        }));
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
        database.changes().told(runId, null);
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
}
