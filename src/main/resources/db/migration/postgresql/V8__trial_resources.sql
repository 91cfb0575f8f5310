-- What each trial used, as its executor measured it (a trial's `resources`). Keep equivalent to
-- db/migration/sqlite/V8__trial_resources.sql (only types differ).
--
-- wall_ms NULL: not known (a trial recorded before this migration, running, or never started); any other figure
-- NULL: not measured. resources_source says where the figures come from ("cgroup", "/proc", "container rusage +
-- /proc", "nvidia-smi", a cluster's accounting).
ALTER TABLE trials ADD COLUMN wall_ms BIGINT;
ALTER TABLE trials ADD COLUMN cpu_ms BIGINT;
ALTER TABLE trials ADD COLUMN peak_memory_bytes BIGINT;
ALTER TABLE trials ADD COLUMN gpu_memory_peak_bytes BIGINT;
ALTER TABLE trials ADD COLUMN gpu_utilization_mean DOUBLE PRECISION;
ALTER TABLE trials ADD COLUMN resources_source TEXT;
