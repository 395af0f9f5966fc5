-- Previews of the next cycle: what it would do to each object, planned by a worker that reads the
-- application and changes nothing in it. The API records the request (status 'running', no worker);
-- a worker claims it with the job's lease, so it never runs beside that job's cycle.
CREATE TABLE cycle_previews (
  id TEXT PRIMARY KEY,
  job_id TEXT NOT NULL REFERENCES provisioning_jobs(id) ON DELETE CASCADE,
  status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
  worker_id TEXT,
  requested_by_json TEXT NOT NULL,
  cycle_kind TEXT CHECK (cycle_kind IN ('Initial', 'Incremental')),
  -- What the plan was made against: the job's configuration fingerprint, its watermark, and the
  -- directory change number it covers up to. Running the plan checks the first two.
  config_hash TEXT,
  watermark_json TEXT,
  up_to INTEGER,
  counts_json TEXT NOT NULL,
  progress_json TEXT,
  error_code TEXT,
  error_message TEXT,
  created_at TEXT NOT NULL,
  started_at TEXT,
  completed_at TEXT,
  run_at TEXT,
  run_by_json TEXT,
  run_changed INTEGER
);
-- The worker's claim (the oldest unclaimed preview) and a job's recent previews.
CREATE INDEX cycle_previews_waiting ON cycle_previews(status, created_at) WHERE worker_id IS NULL;
CREATE INDEX cycle_previews_job ON cycle_previews(job_id, created_at);

-- One row per object planned, in the order the worker settled them; the page filters by action.
CREATE TABLE cycle_preview_objects (
  preview_id TEXT NOT NULL REFERENCES cycle_previews(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  object_type TEXT NOT NULL,
  source_id TEXT NOT NULL,
  action TEXT NOT NULL,
  search_text TEXT NOT NULL,
  object_json TEXT NOT NULL,
  PRIMARY KEY (preview_id, seq)
) WITHOUT ROWID;
CREATE INDEX cycle_preview_objects_action ON cycle_preview_objects(preview_id, action, seq);
-- Running the plan counts the previewed objects changed in the directory since.
CREATE INDEX cycle_preview_objects_source ON cycle_preview_objects(preview_id, source_id);
