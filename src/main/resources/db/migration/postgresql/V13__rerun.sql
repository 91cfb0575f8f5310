-- A run made again from another run's commit (POST /api/runs/{id}/rerun): JSON {"of": <run id>, "set": {<parameter>:
-- <value> | {"min", "max"} | [<choices>]}}, the search space's changes applied when it starts. Null for any other run.
-- Keep equivalent to db/migration/sqlite/V13__rerun.sql.
ALTER TABLE runs ADD COLUMN rerun TEXT;
