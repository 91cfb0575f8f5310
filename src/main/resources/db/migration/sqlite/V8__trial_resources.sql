-- What each trial used, as its executor measured it (a trial's `resources`). Keep equivalent to
-- db/migration/postgresql/V8__trial_resources.sql (only types differ).
--
-- wall_ms NULL: not known (a trial recorded before this migration, running, or never started); any other figure
-- NULL: not measured. resources_source says where the figures come from ("cgroup", "/proc", "container rusage +
-- /proc", "nvidia-smi", a cluster's accounting).
ALTER TABLE trials ADD COLUMN wall_ms INTEGER;
ALTER TABLE trials ADD COLUMN cpu_ms INTEGER;
ALTER TABLE trials ADD COLUMN peak_memory_bytes INTEGER;
ALTER TABLE trials ADD COLUMN gpu_memory_peak_bytes INTEGER;
ALTER TABLE trials ADD COLUMN gpu_utilization_mean REAL;
ALTER TABLE trials ADD COLUMN resources_source TEXT;
