-- A lookup claims its row before it checks the key (in_flight) and keeps it only if the check fails, so
-- concurrent attempts see each other without a lock (services/platform/handlers/lookup.py). Rows from
-- before are failures.
ALTER TABLE lookup_failures ADD COLUMN in_flight boolean NOT NULL DEFAULT false;
