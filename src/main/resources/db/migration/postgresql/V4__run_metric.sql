-- The metric each run is judged by, as its spec resolved it when the run began (hone.yaml's metric: block with
-- hone run's --target, and the environment of the process that ran it): reading a run never parses its spec
-- snapshot again. metric_direction: maximize | minimize; metric_target NULL: no target; all NULL: none (a queued
-- run, or one whose hone.yaml did not load). Keep equivalent to db/migration/sqlite/V4__run_metric.sql.
--
-- Runs recorded before this migration have only their snapshot (YAML, which SQL cannot read): their metric is
-- worked out from it when one is first read, and recorded then (dev.hone.pipeline.RunMetrics).
ALTER TABLE runs ADD COLUMN metric_name TEXT;
ALTER TABLE runs ADD COLUMN metric_direction TEXT;
ALTER TABLE runs ADD COLUMN metric_target DOUBLE PRECISION;
