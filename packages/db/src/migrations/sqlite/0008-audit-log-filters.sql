-- The audit log's filters by who initiated an event, the service that logged it, its (first)
-- target's name and its result: columns beside the body, filled for the events already kept.
ALTER TABLE audit_events ADD COLUMN initiated_by TEXT;
ALTER TABLE audit_events ADD COLUMN logged_by_service TEXT;
ALTER TABLE audit_events ADD COLUMN target_display_name TEXT;
UPDATE audit_events SET
  initiated_by = COALESCE(json_extract(body, '$.initiatedBy.user.displayName'), json_extract(body, '$.initiatedBy.app.displayName')),
  logged_by_service = json_extract(body, '$.loggedByService'),
  target_display_name = json_extract(body, '$.targetResources[0].displayName');
CREATE INDEX audit_events_initiated_by ON audit_events(initiated_by, activity_date_time DESC, id DESC);
CREATE INDEX audit_events_service ON audit_events(logged_by_service, activity_date_time DESC, id DESC);
CREATE INDEX audit_events_target_name ON audit_events(target_display_name, activity_date_time DESC, id DESC);
CREATE INDEX audit_events_result ON audit_events(result, activity_date_time DESC, id DESC);
