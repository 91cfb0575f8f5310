-- Hone's history on SQLite. Times are epoch milliseconds, JSON is TEXT.
-- Keep equivalent to db/migration/postgresql/V1__history.sql (only id generation and types differ).

CREATE TABLE projects (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT    NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

CREATE TABLE runs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id  INTEGER NOT NULL REFERENCES projects (id),
    source      TEXT,
    commit_sha  TEXT,
    branch      TEXT,
    author      TEXT,
    message     TEXT,
    status      TEXT    NOT NULL,
    framework   TEXT,
    executor    TEXT,
    spec_yaml   TEXT,
    best_trial  INTEGER,
    created_at  INTEGER NOT NULL,
    finished_at INTEGER
);
-- runs of a project, newest first (ids grow with creation time)
CREATE INDEX runs_by_project ON runs (project_id, id);
CREATE INDEX runs_by_created ON runs (created_at);

-- the primary key also serves "trials of a run"
CREATE TABLE trials (
    run_id      INTEGER NOT NULL REFERENCES runs (id),
    number      INTEGER NOT NULL,
    params_json TEXT    NOT NULL,
    state       TEXT    NOT NULL,
    value       REAL,
    exit_code   INTEGER,
    duration_ms INTEGER NOT NULL,
    error       TEXT,
    diff        TEXT,
    started_at  INTEGER,
    log_path    TEXT,
    PRIMARY KEY (run_id, number)
);

-- value NULL stands for a non-finite value (SQLite stores NaN as NULL)
CREATE TABLE metric_points (
    run_id       INTEGER NOT NULL REFERENCES runs (id),
    trial_number INTEGER NOT NULL,
    step         INTEGER NOT NULL,
    value        REAL,
    PRIMARY KEY (run_id, trial_number, step)
);

CREATE TABLE events (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id  INTEGER NOT NULL REFERENCES runs (id),
    type    TEXT    NOT NULL,
    message TEXT,
    at      INTEGER NOT NULL
);
CREATE INDEX events_by_run ON events (run_id, id);

CREATE TABLE notifications (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id  INTEGER NOT NULL REFERENCES runs (id),
    event   TEXT    NOT NULL,
    channel TEXT    NOT NULL,
    status  TEXT    NOT NULL,
    detail  TEXT,
    at      INTEGER NOT NULL
);
CREATE INDEX notifications_by_run ON notifications (run_id, id);
