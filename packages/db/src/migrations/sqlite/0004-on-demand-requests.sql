-- Provision on demand: the API records a request and waits; a worker claims it (status Pending →
-- Running, atomically, together with the job's lease), runs its subjects through the cycle's code
-- path and writes the result (Succeeded or Failed). A request nobody claimed before `expires_at` is
-- Expired and never runs: the caller has been told it timed out. subjects_json holds
-- [{ objectId, objectTypeName }], requested_by_json the asking portal account { id, userName },
-- results_json each subject's outcome [{ objectId, event, error }] (its provisioning event, or why
-- it has none).
CREATE TABLE on_demand_requests (
  id TEXT PRIMARY KEY,
  job_id TEXT NOT NULL REFERENCES provisioning_jobs(id) ON DELETE CASCADE,
  service_principal_id TEXT NOT NULL,
  rule_id TEXT NOT NULL,
  subjects_json TEXT NOT NULL,
  requested_by_json TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('Pending', 'Running', 'Succeeded', 'Failed', 'Expired')),
  worker_id TEXT,
  results_json TEXT,
  error_code TEXT,
  error_message TEXT,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  started_at TEXT,
  completed_at TEXT
);
-- The worker's claim: the oldest pending request.
CREATE INDEX on_demand_requests_pending ON on_demand_requests(status, created_at);
-- The rate limit (requests of a job in the last seconds) and pruning.
CREATE INDEX on_demand_requests_job_time ON on_demand_requests(job_id, created_at);
