-- The Identity search of the provisioning logs (contains on the source and target names and ids)
-- walks the log in time order, overall or for one application. With the names and ids in those two
-- indexes it reads the index alone, instead of every event's row with its body (several KB each).
DROP INDEX provisioning_events_time;
CREATE INDEX provisioning_events_time ON provisioning_events(
  activity_date_time DESC, id DESC, source_display_name, target_display_name, source_id, target_id
);
DROP INDEX provisioning_events_sp_time;
CREATE INDEX provisioning_events_sp_time ON provisioning_events(
  service_principal_id, activity_date_time DESC, id DESC, source_display_name, target_display_name, source_id, target_id
);
