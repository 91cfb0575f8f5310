-- What starts a run besides a push (triggers): when a repository's schedule last fired, the version each data source
-- of a branch was last trained on, the comment a pull request's result is kept in; and the data a run trained on.
-- Keep equivalent to db/migration/sqlite/V11__triggers.sql (only types differ).
--
-- name: 'schedule' (value: the ISO instant of the slot that last fired), 'data:<branch>:<source>' (value: its
-- version), 'comment:<pull request number>' (value: the forge's id of Hone's comment)
CREATE TABLE trigger_state (
    url        TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    value      TEXT    NOT NULL,
    updated_at BIGINT  NOT NULL,
    PRIMARY KEY (url, name)
);

-- JSON {"<path or url>": "<version>", …}: the version of each data source (hone.yaml data:) the run trained on
ALTER TABLE runs ADD COLUMN data_versions TEXT;
