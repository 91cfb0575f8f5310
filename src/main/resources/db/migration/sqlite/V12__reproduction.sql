-- What a run's trials need to be trained again exactly (hone reproduce): JSON {"commit", "branch", "source",
-- "executor", "image", "python", "pip_freeze", "seed", "hone_yaml"}; the data versions are in data_versions (V11), each
-- trial's parameters in its row. Null for a run recorded by an older Hone.
-- Keep equivalent to db/migration/postgresql/V12__reproduction.sql.
ALTER TABLE runs ADD COLUMN reproduction TEXT;
