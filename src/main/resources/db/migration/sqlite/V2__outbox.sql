-- The notification outbox on SQLite: each notification is written here before it is sent, then claimed, sent
-- and marked by a courier. Keep equivalent to db/migration/postgresql/V2__outbox.sql.
--
-- status: pending (waiting for its next attempt at next_attempt_at) | sending (claimed by a courier until
-- next_attempt_at, its lease) | sent | failed (given up). attempts counts the claims. route names the configured
-- channel instance that delivers it (channel is the summary's word: email, slack, webhook, commit_status, console).
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id          INTEGER REFERENCES runs (id),
    event           TEXT    NOT NULL,
    channel         TEXT    NOT NULL,
    route           TEXT    NOT NULL,
    idempotency_key TEXT    NOT NULL UNIQUE,
    payload         TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    detail          TEXT,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER
);
CREATE INDEX outbox_by_route ON outbox (route, status, id);
CREATE INDEX outbox_by_run ON outbox (run_id, id);
