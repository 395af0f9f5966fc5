-- The provisioning logs' Change ID filter: one event (or a few), found without reading the log.
CREATE INDEX provisioning_events_change ON provisioning_events(change_id);
