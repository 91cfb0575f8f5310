-- hone serve on SQLite: the queue's index, the repositories added through the API or `hone repo add`, what each
-- watched repository was last seen at, what happened to it, and the API token's hash.
-- Keep equivalent to db/migration/postgresql/V3__queue.sql (only id generation and types differ).
--
-- Runs of the queue live in runs: status 'queued' until a worker claims them ('running'); a queued run that a
-- newer push to the same branch replaced ends 'superseded'; one the server stopped ends 'interrupted'.
CREATE INDEX runs_by_status ON runs (status, id);

-- Secrets are never stored: *_env hold the NAME of the environment variable that holds the value.
CREATE TABLE repositories (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    url                TEXT    NOT NULL UNIQUE,
    branches_json      TEXT    NOT NULL,
    poll_ms            INTEGER NOT NULL,
    webhook_secret_env TEXT,
    username_env       TEXT,
    password_env       TEXT,
    created_at         INTEGER NOT NULL
);

-- refs_json: {"branch": "sha", …} at the last poll or webhook; no row: never polled yet
CREATE TABLE repository_state (
    url        TEXT    PRIMARY KEY,
    refs_json  TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE repository_events (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    url     TEXT    NOT NULL,
    type    TEXT    NOT NULL,
    message TEXT,
    at      INTEGER NOT NULL
);
CREATE INDEX repository_events_by_url ON repository_events (url, id);

-- SHA-256 (hex) of the generated bearer token of the write endpoints; the newest row holds
CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    sha256     TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
