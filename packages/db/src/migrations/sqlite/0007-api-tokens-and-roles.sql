-- Roles gain the Application Administrator (applications, provisioning and the directory; not
-- accounts or tokens). SQLite cannot change a CHECK constraint, so the accounts table is rebuilt;
-- the sessions that point at it are rebuilt with it (everyone signs in again once), and gain the
-- time of their last use, for the idle expiry.
CREATE TABLE admin_accounts_next (
  id TEXT PRIMARY KEY,
  user_name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('Administrator', 'ApplicationAdministrator', 'ReportsReader')),
  created_at TEXT NOT NULL
);
INSERT INTO admin_accounts_next (id, user_name, password_hash, role, created_at)
  SELECT id, user_name, password_hash, role, created_at FROM admin_accounts;
DROP TABLE sessions;
DROP TABLE admin_accounts;
ALTER TABLE admin_accounts_next RENAME TO admin_accounts;

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES admin_accounts(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  -- The absolute end of the session, whatever its use.
  expires_at TEXT NOT NULL,
  -- Its last use: a session unused for longer than the idle period has ended.
  last_seen_at TEXT NOT NULL
);
CREATE INDEX sessions_account ON sessions(account_id);

-- API tokens for automation: a role of their own, shown once, stored as a SHA-256 hash.
CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('Administrator', 'ApplicationAdministrator', 'ReportsReader')),
  token_hash TEXT NOT NULL UNIQUE,
  created_by_json TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  last_used_at TEXT,
  last_used_from TEXT,
  revoked_at TEXT
);
CREATE INDEX api_tokens_created ON api_tokens(created_at);
