-- Accounts that sign in to the portal.
CREATE TABLE admin_accounts (
  id TEXT PRIMARY KEY,
  user_name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('Administrator', 'ReportsReader')),
  created_at TEXT NOT NULL
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES admin_accounts(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);

-- Every change to a directory object, membership or assignment gets a number;
-- incremental cycles read what came after their watermark.
CREATE TABLE directory_changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  object_type TEXT NOT NULL CHECK (object_type IN ('user', 'group')),
  object_id TEXT NOT NULL,
  change_type TEXT NOT NULL,
  changed_at TEXT NOT NULL
);

CREATE TABLE directory_users (
  id TEXT PRIMARY KEY,
  user_principal_name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name TEXT NOT NULL,
  given_name TEXT,
  surname TEXT,
  mail TEXT,
  mail_nickname TEXT,
  department TEXT,
  job_title TEXT,
  employee_id TEXT,
  account_enabled INTEGER NOT NULL DEFAULT 1,
  manager_id TEXT,
  extension_attributes TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT,
  change_seq INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX directory_users_display_name ON directory_users(display_name COLLATE NOCASE, id);

CREATE TABLE directory_groups (
  id TEXT PRIMARY KEY,
  display_name TEXT NOT NULL,
  description TEXT,
  mail_nickname TEXT,
  security_enabled INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT,
  change_seq INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX directory_groups_display_name ON directory_groups(display_name COLLATE NOCASE, id);

CREATE TABLE group_members (
  group_id TEXT NOT NULL REFERENCES directory_groups(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES directory_users(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user ON group_members(user_id);

CREATE TABLE service_principals (
  id TEXT PRIMARY KEY,
  app_id TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  application_template_id TEXT,
  app_roles TEXT NOT NULL DEFAULT '[]',
  notes TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX service_principals_display_name ON service_principals(display_name COLLATE NOCASE, id);

CREATE TABLE app_role_assignments (
  id TEXT PRIMARY KEY,
  service_principal_id TEXT NOT NULL REFERENCES service_principals(id) ON DELETE CASCADE,
  principal_id TEXT NOT NULL,
  principal_type TEXT NOT NULL CHECK (principal_type IN ('User', 'Group')),
  app_role_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (service_principal_id, principal_id, app_role_id)
);
CREATE INDEX app_role_assignments_principal ON app_role_assignments(principal_id);

CREATE TABLE provisioning_jobs (
  id TEXT PRIMARY KEY,
  service_principal_id TEXT NOT NULL REFERENCES service_principals(id) ON DELETE CASCADE,
  template_id TEXT NOT NULL,
  status_code TEXT NOT NULL,
  schedule_state TEXT NOT NULL,
  interval_seconds INTEGER NOT NULL,
  schema_json TEXT NOT NULL,
  settings_json TEXT NOT NULL DEFAULT '{}',
  secrets_sealed TEXT,
  status_json TEXT NOT NULL DEFAULT '{}',
  -- Last directory change number whose effects are settled; NULL = the next cycle is initial.
  watermark INTEGER,
  next_run_at TEXT,
  run_requested_at TEXT,
  lease_owner TEXT,
  lease_expires_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX provisioning_jobs_sp ON provisioning_jobs(service_principal_id);
CREATE INDEX provisioning_jobs_due ON provisioning_jobs(schedule_state, next_run_at);

-- The connector data store: what a job remembers per source object.
CREATE TABLE connector_objects (
  job_id TEXT NOT NULL REFERENCES provisioning_jobs(id) ON DELETE CASCADE,
  source_id TEXT NOT NULL,
  object_type TEXT NOT NULL,
  target_id TEXT,
  state TEXT NOT NULL CHECK (state IN ('pendingCreate', 'linked', 'disabled', 'deleted')),
  last_exported TEXT NOT NULL DEFAULT '{}',
  in_scope INTEGER NOT NULL DEFAULT 1,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (job_id, source_id)
);

CREATE TABLE cycles (
  id TEXT PRIMARY KEY,
  job_id TEXT NOT NULL REFERENCES provisioning_jobs(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('Initial', 'Incremental')),
  state TEXT NOT NULL CHECK (state IN ('Running', 'Succeeded', 'Failed', 'EntryLevelErrors')),
  began_at TEXT NOT NULL,
  ended_at TEXT,
  counts_json TEXT NOT NULL DEFAULT '{}',
  error_json TEXT
);
CREATE INDEX cycles_job ON cycles(job_id, began_at DESC);

CREATE TABLE provisioning_events (
  id TEXT PRIMARY KEY,
  activity_date_time TEXT NOT NULL,
  job_id TEXT NOT NULL,
  cycle_id TEXT NOT NULL,
  change_id TEXT NOT NULL,
  service_principal_id TEXT NOT NULL,
  action TEXT NOT NULL,
  status TEXT NOT NULL,
  source_id TEXT NOT NULL,
  source_display_name TEXT NOT NULL,
  target_id TEXT NOT NULL,
  target_display_name TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX provisioning_events_time ON provisioning_events(activity_date_time DESC, id DESC);
CREATE INDEX provisioning_events_sp_time ON provisioning_events(service_principal_id, activity_date_time DESC, id DESC);
CREATE INDEX provisioning_events_status_time ON provisioning_events(status, activity_date_time DESC, id DESC);
CREATE INDEX provisioning_events_action_time ON provisioning_events(action, activity_date_time DESC, id DESC);
CREATE INDEX provisioning_events_cycle ON provisioning_events(cycle_id);
CREATE INDEX provisioning_events_source ON provisioning_events(job_id, source_id);

CREATE TABLE audit_events (
  id TEXT PRIMARY KEY,
  activity_date_time TEXT NOT NULL,
  category TEXT NOT NULL,
  activity_display_name TEXT NOT NULL,
  result TEXT NOT NULL,
  target_id TEXT,
  body TEXT NOT NULL
);
CREATE INDEX audit_events_time ON audit_events(activity_date_time DESC, id DESC);
CREATE INDEX audit_events_target ON audit_events(target_id, activity_date_time DESC);
