-- A cycle's events found by object as well: the memberships and references phases read, for each chunk
-- of the objects they visit, each one's last event of the cycle (what its own phase did). With the cycle
-- alone in the key, each such read went through every event of the cycle: a 100,000-user cycle's
-- memberships phase took three times as long. The reads by cycle alone use the key's first column, as
-- before. On a large log this rebuilds the index once, at the first start of this version.
DROP INDEX provisioning_events_cycle;
CREATE INDEX provisioning_events_cycle ON provisioning_events(cycle_id, source_id);
