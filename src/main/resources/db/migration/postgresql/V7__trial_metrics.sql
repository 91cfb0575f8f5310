-- Every metric a trial printed, and who cancelled a run. Keep equivalent to
-- db/migration/sqlite/V7__trial_metrics.sql (only types differ).
--
-- trials.metrics_json: the last value of every NAME=VALUE the trial printed (and of metrics.json), as a JSON object
-- {"accuracy": 0.93, "f1": 0.91}; NULL for a trial recorded before this migration (none known).
ALTER TABLE trials ADD COLUMN metrics_json TEXT;

-- Intermediate values (step=N / epoch=N lines) of the metrics other than the run's own, whose are in metric_points;
-- each metric of a trial keeps at most as many as metric_points does. value NULL stands for a non-finite value.
CREATE TABLE trial_metric_points (
    run_id       BIGINT           NOT NULL REFERENCES runs (id),
    trial_number INTEGER          NOT NULL,
    name         TEXT             NOT NULL,
    step         BIGINT           NOT NULL,
    value        DOUBLE PRECISION,
    PRIMARY KEY (run_id, trial_number, name, step)
);

-- A run cancelled through the API: the name of the token that cancelled it, and when (epoch milliseconds).
ALTER TABLE runs ADD COLUMN cancelled_by TEXT;
ALTER TABLE runs ADD COLUMN cancelled_at BIGINT;
