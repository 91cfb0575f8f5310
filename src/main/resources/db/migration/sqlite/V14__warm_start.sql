-- What a run started from with tune.warm_start: JSON {"trials": N, "runs": [ids], "dropped": N} (the earlier runs'
-- trials used as its prior, the runs they come from, those dropped for not fitting its search space). Null for a run
-- that started clean or was recorded by an older Hone.
-- Keep equivalent to db/migration/postgresql/V14__warm_start.sql.
ALTER TABLE runs ADD COLUMN warm_start TEXT;
