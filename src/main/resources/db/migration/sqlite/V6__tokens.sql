-- The tokens made with `hone token create`: each may read (scope 'read') or read and write (scope 'write') the
-- REST API, and sign in to the dashboard. Only a token's SHA-256 (hex) is kept. last_used_at: when it was last
-- accepted (to the minute); null: never.
-- Keep equivalent to db/migration/postgresql/V6__tokens.sql (only id generation and types differ).
CREATE TABLE access_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT    NOT NULL UNIQUE,
    scope        TEXT    NOT NULL CHECK (scope IN ('read', 'write')),
    sha256       TEXT    NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER
);
