-- What a cycle writes costs less (decision 0010):
-- - The provisioning log's time indexes become ascending: PostgreSQL reads them backwards for the newest
--   first, and an index whose new entries land at its end fills its pages, where entries landing at the
--   front split each page in half. The two wide ones also drop the source and target names and ids they
--   carried after their keys for SQLite's Identity search, which PostgreSQL answers from the trigram index.
DROP INDEX provisioning_events_time;
CREATE INDEX provisioning_events_time ON provisioning_events (activity_date_time, id);
DROP INDEX provisioning_events_sp_time;
CREATE INDEX provisioning_events_sp_time ON provisioning_events (service_principal_id, activity_date_time, id);
DROP INDEX provisioning_events_status_time;
CREATE INDEX provisioning_events_status_time ON provisioning_events (status, activity_date_time, id);
DROP INDEX provisioning_events_action_time;
CREATE INDEX provisioning_events_action_time ON provisioning_events (action, activity_date_time, id);
-- - A cycle writes an object's connector record twice when it creates the account (pending, then linked)
--   and once more at each change. Room left on each page lets the new version stay on the page of the old
--   one, without a new entry in the primary key's index (a heap-only update).
ALTER TABLE connector_objects SET (fillfactor = 70);
