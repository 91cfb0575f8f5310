-- The lease of a run a controller (a hone serve) claimed from the queue: which controller holds it and until when
-- (epoch ms). The controller renews it while the run runs; once it has expired, another controller takes the run
-- over and resumes it. Keep equivalent to db/migration/sqlite/V9__run_leases.sql (only types differ).
--
-- lease_owner NULL: never claimed from the queue by a controller that keeps leases (a hone run, or a run claimed by
-- a Hone from before this migration).
ALTER TABLE runs ADD COLUMN lease_owner TEXT;
ALTER TABLE runs ADD COLUMN lease_until BIGINT;
