-- As SQLite's 0017: a cycle's events found by object as well (the memberships and references phases read
-- each object's last event of the cycle); the reads by cycle alone use the key's first column.
DROP INDEX provisioning_events_cycle;
CREATE INDEX provisioning_events_cycle ON provisioning_events (cycle_id, source_id);
