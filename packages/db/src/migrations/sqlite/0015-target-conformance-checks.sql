-- Target conformance checks: test requests against a job's application and what they found. The API
-- runs a check in the request that asks for it; the row is 'running' meanwhile, so a second request
-- for the same job is refused and the portal can show the check in progress.
CREATE TABLE target_checks (
  id TEXT PRIMARY KEY,
  job_id TEXT NOT NULL REFERENCES provisioning_jobs(id) ON DELETE CASCADE,
  status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
  initiated_by_json TEXT NOT NULL,
  tenant_url TEXT NOT NULL,
  findings_json TEXT NOT NULL,
  requests INTEGER NOT NULL DEFAULT 0,
  duration_ms INTEGER NOT NULL DEFAULT 0,
  started_at TEXT NOT NULL,
  completed_at TEXT
);
-- A job's latest check.
CREATE INDEX target_checks_job ON target_checks(job_id, started_at);
