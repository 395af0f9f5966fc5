-- As SQLite's 0019: an application's assigned users or groups by type, in principal order, without
-- filtering every assignment of the application by its type.
CREATE INDEX app_role_assignments_by_type ON app_role_assignments (
  service_principal_id, principal_type, principal_id, app_role_id
);
