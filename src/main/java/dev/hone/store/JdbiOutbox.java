package dev.hone.store;

import dev.hone.run.DeliveryStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** The outbox in SQL through JDBI; the same statements run on SQLite and PostgreSQL. */
final class JdbiOutbox implements Outbox {

    private static final String COLUMNS = """
            SELECT id, run_id, event, channel, route, idempotency_key, payload, status, attempts, next_attempt_at,
                   last_error, detail, created_at, sent_at
              FROM outbox""";
    /** Pending or sending: bind {@link #UNFINISHED_STATUSES} as {@code unfinished}. */
    private static final String UNFINISHED = "status IN (<unfinished>)";
    private static final List<DeliveryStatus> UNFINISHED_STATUSES =
            List.of(DeliveryStatus.PENDING, DeliveryStatus.SENDING);

    private final Database database;

    JdbiOutbox(Database database) {
        this.database = database;
    }

    @Override
    public boolean enqueue(OutboxEntry entry) {
        Objects.requireNonNull(entry.idempotencyKey(), "idempotencyKey");
        Objects.requireNonNull(entry.createdAt(), "createdAt");
        return database.inTransaction("write " + entry.channel() + " notification " + entry.idempotencyKey()
                + " to the outbox", handle -> handle.createUpdate("""
                        INSERT INTO outbox (run_id, event, channel, route, idempotency_key, payload, status, attempts,
                                            next_attempt_at, created_at)
                        VALUES (:run, :event, :channel, :route, :key, :payload, :status, 0, :at, :at)
                        ON CONFLICT (idempotency_key) DO NOTHING""")
                .bind("status", DeliveryStatus.PENDING)
                .bind("run", entry.runId()).bind("event", entry.event()).bind("channel", entry.channel())
                .bind("route", entry.route()).bind("key", entry.idempotencyKey()).bind("payload", entry.payload())
                .bind("at", entry.createdAt().toEpochMilli()).execute() == 1);
    }

    @Override
    public Optional<OutboxRow> find(String idempotencyKey) {
        return database.withHandle("read notification " + idempotencyKey + " from the outbox",
                handle -> byKey(handle, idempotencyKey));
    }

    @Override
    public List<OutboxRow> ofRun(long runId) {
        return database.withHandle("read the outbox of run " + runId, handle -> handle
                .createQuery(COLUMNS + " WHERE run_id = :run ORDER BY id").bind("run", runId)
                .map(JdbiOutbox::row).list());
    }

    @Override
    public List<OutboxRow> unfinished(String route) {
        return database.withHandle("read unfinished " + route + " notifications from the outbox", handle -> handle
                .createQuery(COLUMNS + " WHERE route = :route AND " + UNFINISHED + " ORDER BY id")
                .bind("route", route).bindList("unfinished", UNFINISHED_STATUSES)
                .map(JdbiOutbox::row).list());
    }

    @Override
    public List<OutboxRow> unfinished() {
        return database.withHandle("read unfinished notifications from the outbox", handle -> handle
                .createQuery(COLUMNS + " WHERE " + UNFINISHED + " ORDER BY id")
                .bindList("unfinished", UNFINISHED_STATUSES)
                .map(JdbiOutbox::row).list());
    }

    /**
     * On PostgreSQL the entry is locked {@code FOR UPDATE SKIP LOCKED}: a courier of another controller claiming it
     * at the same moment gets nothing instead of waiting, and the one that locked it sends it, once.
     */
    @Override
    public Optional<OutboxRow> claim(long id, Instant now, Instant leaseUntil) {
        return database.inTransaction("claim notification " + id + " in the outbox", handle -> {
            int claimed = handle.createUpdate("""
                            UPDATE outbox SET status = :claimed, attempts = attempts + 1, next_attempt_at = :lease
                             WHERE id IN (SELECT id FROM outbox
                                           WHERE id = :id
                                             AND (status = :due OR (status = :claimed AND next_attempt_at < :now))"""
                            + database.skipLocked() + ")")
                    .bind("due", DeliveryStatus.PENDING).bind("claimed", DeliveryStatus.SENDING)
                    .bind("id", id).bind("now", now.toEpochMilli()).bind("lease", leaseUntil.toEpochMilli())
                    .execute();
            return claimed == 1
                    ? handle.createQuery(COLUMNS + " WHERE id = :id").bind("id", id).map(JdbiOutbox::row).findOne()
                    : Optional.<OutboxRow>empty();
        });
    }

    @Override
    public boolean sent(OutboxRow claimed, String detail, Instant at) {
        return database.inTransaction("mark notification " + claimed.idempotencyKey() + " sent", handle ->
                finish(handle, claimed, handle.createUpdate("""
                                UPDATE outbox SET status = :outcome, detail = :detail, sent_at = :at
                                 WHERE id = :id AND status = :claimed AND attempts = :attempts""")
                        .bind("outcome", DeliveryStatus.SENT).bind("claimed", DeliveryStatus.SENDING)
                        .bind("detail", detail).bind("at", at.toEpochMilli()).bind("id", claimed.id())
                        .bind("attempts", claimed.attempts()).execute(), DeliveryStatus.SENT, detail, at));
    }

    @Override
    public boolean retry(OutboxRow claimed, String error, Instant nextAttemptAt) {
        return database.inTransaction("mark notification " + claimed.idempotencyKey() + " for another attempt",
                handle -> handle.createUpdate("""
                                UPDATE outbox SET status = :due, last_error = :error, next_attempt_at = :next
                                 WHERE id = :id AND status = :claimed AND attempts = :attempts""")
                        .bind("due", DeliveryStatus.PENDING).bind("claimed", DeliveryStatus.SENDING)
                        .bind("error", error).bind("next", nextAttemptAt.toEpochMilli()).bind("id", claimed.id())
                        .bind("attempts", claimed.attempts()).execute() == 1);
    }

    @Override
    public boolean failed(OutboxRow claimed, String error, Instant at) {
        return database.inTransaction("mark notification " + claimed.idempotencyKey() + " failed", handle ->
                finish(handle, claimed, handle.createUpdate("""
                                UPDATE outbox SET status = :outcome, last_error = :error
                                 WHERE id = :id AND status = :claimed AND attempts = :attempts""")
                        .bind("outcome", DeliveryStatus.FAILED).bind("claimed", DeliveryStatus.SENDING)
                        .bind("error", error).bind("id", claimed.id()).bind("attempts", claimed.attempts())
                        .execute(), DeliveryStatus.FAILED, error, at));
    }

    /** Adds the final outcome to the run's notifications when the claim held. */
    private static boolean finish(Handle handle, OutboxRow claimed, int updated, DeliveryStatus status, String detail,
                                  Instant at) {
        if (updated != 1) {
            return false;
        }
        handle.createUpdate("""
                        INSERT INTO notifications (run_id, event, channel, status, detail, at)
                        SELECT run_id, event, channel, :status, :detail, :at FROM outbox
                         WHERE id = :id AND run_id IS NOT NULL""")
                .bind("status", status).bind("detail", detail).bind("at", at.toEpochMilli())
                .bind("id", claimed.id()).execute();
        return true;
    }

    private static Optional<OutboxRow> byKey(Handle handle, String key) {
        return handle.createQuery(COLUMNS + " WHERE idempotency_key = :key").bind("key", key)
                .map(JdbiOutbox::row).findOne();
    }

    private static OutboxRow row(ResultSet rs, StatementContext ctx) throws SQLException {
        long run = rs.getLong("run_id");
        Long runId = rs.wasNull() ? null : run;
        return new OutboxRow(rs.getLong("id"), runId, rs.getString("event"), rs.getString("channel"),
                rs.getString("route"), rs.getString("idempotency_key"), rs.getString("payload"),
                Labels.column(rs, "status", DeliveryStatus.class, ctx), rs.getInt("attempts"),
                instant(rs, "next_attempt_at"),
                rs.getString("last_error"), rs.getString("detail"), instant(rs, "created_at"),
                instant(rs, "sent_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }
}
