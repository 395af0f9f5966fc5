-- Escrows: object operations that failed transiently, kept for retry with backoff; one per job and
-- source object (a later failure of the same object updates it, a success removes it).
CREATE TABLE escrows (
  job_id TEXT NOT NULL REFERENCES provisioning_jobs(id) ON DELETE CASCADE,
  source_id TEXT NOT NULL,
  object_type TEXT NOT NULL,
  action TEXT NOT NULL,
  error_code TEXT NOT NULL,
  reason TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  first_failed_at TEXT NOT NULL,
  last_failed_at TEXT NOT NULL,
  next_attempt_at TEXT NOT NULL,
  cycle_id TEXT NOT NULL,
  PRIMARY KEY (job_id, source_id)
);
CREATE INDEX escrows_due ON escrows(job_id, next_attempt_at);

-- The fingerprint of the configuration (mappings, scoping filters, scope setting) the watermark was
-- reached with; a job whose configuration no longer has it runs an initial cycle.
ALTER TABLE provisioning_jobs ADD COLUMN config_hash TEXT;

-- The running cycle's checkpoint (JSON): which cycle, what it covers and how far it got. A cycle
-- interrupted by a crash or a stop is resumed from it by the next worker that takes the job.
ALTER TABLE provisioning_jobs ADD COLUMN cycle_checkpoint TEXT;

-- The worker that ran the cycle (the last one, when a cycle was resumed by another).
ALTER TABLE cycles ADD COLUMN worker_id TEXT;
