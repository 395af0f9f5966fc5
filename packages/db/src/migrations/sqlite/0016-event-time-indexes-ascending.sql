-- The provisioning log's time indexes become ascending, as PostgreSQL's did in its 0004 (decision 0010).
-- A new event's entries landed at the front of the descending ones, and a page split at the front leaves
-- two half-full pages where one at the end leaves the old page full: after 100,000 events the four took
-- about 108 MB, ascending about 58 MB (the database file 20% smaller), and writing the events took
-- 14-18% less time. SQLite reads them backwards for the newest first. The two wide ones keep the names
-- and ids after their keys, which the Identity search reads from the index alone.
-- On a large log this rebuilds the four indexes once, at the first start of this version.
DROP INDEX provisioning_events_time;
CREATE INDEX provisioning_events_time ON provisioning_events(
  activity_date_time, id, source_display_name, target_display_name, source_id, target_id
);
DROP INDEX provisioning_events_sp_time;
CREATE INDEX provisioning_events_sp_time ON provisioning_events(
  service_principal_id, activity_date_time, id, source_display_name, target_display_name, source_id, target_id
);
DROP INDEX provisioning_events_status_time;
CREATE INDEX provisioning_events_status_time ON provisioning_events(status, activity_date_time, id);
DROP INDEX provisioning_events_action_time;
CREATE INDEX provisioning_events_action_time ON provisioning_events(action, activity_date_time, id);
