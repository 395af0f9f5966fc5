-- Group memberships as a job exported them to the target: one row per group and member, with the
-- member's target id at the time, so that a membership phase sends only the difference and can
-- remove a member whose account has since gone.
CREATE TABLE connector_memberships (
  job_id TEXT NOT NULL REFERENCES provisioning_jobs(id) ON DELETE CASCADE,
  group_source_id TEXT NOT NULL,
  member_source_id TEXT NOT NULL,
  member_target_id TEXT NOT NULL,
  PRIMARY KEY (job_id, group_source_id, member_source_id)
) WITHOUT ROWID;
-- The groups a user is exported to, for the memberships phase when the user is visited (a hard-deleted
-- user has no directory membership left to find them by).
CREATE INDEX connector_memberships_member ON connector_memberships(job_id, member_source_id);

-- A manager's direct reports, for the references phase of an incremental cycle: when a manager is
-- created or deleted in the target, the users who report to it have their reference resolved again.
CREATE INDEX directory_users_manager ON directory_users(manager_id) WHERE manager_id IS NOT NULL;

-- Allow deletes (Restart with ForceDeletes): the next cycle removes what the accidental deletion
-- threshold held back; the flag is cleared when that cycle completes.
ALTER TABLE provisioning_jobs ADD COLUMN force_deletes INTEGER NOT NULL DEFAULT 0;
