import type {
  SynchronizationJob,
  SynchronizationProgress,
  SynchronizationSchema,
  SynchronizationStatusCode,
} from '@provisio/contracts';
import {
  describeJobActivity,
  emptyStatus,
  type CycleCheckpoint,
  type JobStatusState,
  type ScheduleState,
} from '@provisio/engine';
import { createHash } from 'node:crypto';
import { dialectOf, type SqlDialect } from './dialect';
import type { SecretBox } from './secret-box';
import type { SqlRunner } from './sql-runner';
import { NotFoundError, nowIso } from './util';

// The job's status document, its schedule and a cycle's checkpoint are the engine's (it owns their
// rules); they are stored here as JSON.
export {
  emptyStatus,
  NEVER,
  type CycleCheckpoint,
  type JobStatusState,
  type ScheduleState,
} from '@provisio/engine';

export interface ProvisioningJobRecord {
  id: string;
  servicePrincipalId: string;
  templateId: string;
  statusCode: SynchronizationStatusCode;
  scheduleState: ScheduleState;
  intervalSeconds: number;
  schema: SynchronizationSchema;
  settings: Record<string, string>;
  status: JobStatusState;
  /** Last settled directory change number; null means the next cycle is an initial cycle. */
  watermark: number | null;
  /** The configuration fingerprint the watermark belongs to (null: none yet). */
  configHash: string | null;
  /** The running (or interrupted) cycle's checkpoint; null when no cycle is under way. */
  cycleCheckpoint: CycleCheckpoint | null;
  /** Allow deletes was asked for: the next cycle removes what the accidental deletion threshold held. */
  forceDeletes: boolean;
  nextRunAt: string | null;
  runRequestedAt: string | null;
  leaseOwner: string | null;
  leaseExpiresAt: string | null;
  hasSecrets: boolean;
  createdAt: string;
  updatedAt: string;
}

interface JobRow {
  id: string;
  service_principal_id: string;
  template_id: string;
  status_code: SynchronizationStatusCode;
  schedule_state: ScheduleState;
  interval_seconds: number;
  schema_json: string;
  settings_json: string;
  secrets_sealed: string | null;
  status_json: string;
  watermark: number | null;
  config_hash: string | null;
  cycle_checkpoint: string | null;
  force_deletes: number;
  next_run_at: string | null;
  run_requested_at: string | null;
  lease_owner: string | null;
  lease_expires_at: string | null;
  created_at: string;
  updated_at: string;
}
const toJob = (r: JobRow): ProvisioningJobRecord => ({
  id: r.id,
  servicePrincipalId: r.service_principal_id,
  templateId: r.template_id,
  statusCode: r.status_code,
  scheduleState: r.schedule_state,
  intervalSeconds: r.interval_seconds,
  schema: JSON.parse(r.schema_json) as SynchronizationSchema,
  settings: JSON.parse(r.settings_json) as Record<string, string>,
  status: { ...emptyStatus(), ...(JSON.parse(r.status_json) as Partial<JobStatusState>) },
  watermark: r.watermark,
  configHash: r.config_hash,
  cycleCheckpoint: r.cycle_checkpoint ? (JSON.parse(r.cycle_checkpoint) as CycleCheckpoint) : null,
  forceDeletes: r.force_deletes === 1,
  nextRunAt: r.next_run_at,
  runRequestedAt: r.run_requested_at,
  leaseOwner: r.lease_owner,
  leaseExpiresAt: r.lease_expires_at,
  hasSecrets: r.secrets_sealed !== null,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** ISO 8601 duration for a number of seconds, as Graph's schedule shows it (`PT40M`). */
export function secondsToDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s || (!h && !m) ? `${s}S` : ''}`;
}

/** The Graph view of a job, with what it is doing at `now` (`describeJobActivity`). */
export function toSynchronizationJob(job: ProvisioningJobRecord, now: Date = new Date()): SynchronizationJob {
  const { currentCycle, ...status } = job.status;
  const activity = describeJobActivity(job, now);
  return {
    id: job.id,
    templateId: job.templateId,
    schedule: {
      expiration: null,
      interval:
        job.scheduleState === 'Active'
          ? secondsToDuration(job.intervalSeconds)
          : 'P10675199DT2H48M5.4775807S',
      state: job.scheduleState,
      cycleInterval: secondsToDuration(job.intervalSeconds),
    },
    status: { code: job.statusCode, ...status, troubleshootingUrl: null, currentCycle, ...activity },
    synchronizationJobSettings: Object.entries(job.settings).map(([name, value]) => ({ name, value })),
  };
}

/**
 * How a job's configuration fingerprint (`configHash`, what its watermark was reached with) is
 * stored: the SHA-256 of the engine's canonical text of the configuration (`describeJobConfiguration`).
 */
export function cycleConfigurationHash(description: string): string {
  return createHash('sha256').update(description).digest('base64url');
}

/**
 * Provisioning jobs: configuration, status, watermark, secrets (sealed) and
 * the lease that keeps two workers from running one job at once.
 */
/** Secrets that say who is told of failures: changing them changes nothing a cycle does. */
const NOTIFICATION_SECRETS = new Set(['SyncNotificationSettings']);

export class JobsRepository {
  private readonly d: SqlDialect;
  constructor(
    private readonly runner: SqlRunner,
    private readonly secrets: SecretBox,
  ) {
    this.d = dialectOf(runner.dialect);
  }

  async insertJob(input: {
    id: string;
    servicePrincipalId: string;
    templateId: string;
    schema: SynchronizationSchema;
    intervalSeconds: number;
    settings?: Record<string, string>;
  }): Promise<ProvisioningJobRecord> {
    const now = nowIso();
    await this.runner.run(
      `INSERT INTO provisioning_jobs (id, service_principal_id, template_id, status_code, schedule_state, interval_seconds,
         schema_json, settings_json, status_json, created_at, updated_at)
       VALUES (?, ?, ?, 'NotConfigured', 'Disabled', ?, ?, ?, ?, ?, ?)`,
      [
        input.id,
        input.servicePrincipalId,
        input.templateId,
        input.intervalSeconds,
        JSON.stringify(input.schema),
        JSON.stringify(input.settings ?? {}),
        JSON.stringify(emptyStatus()),
        now,
        now,
      ],
    );
    return this.getJob(input.id);
  }

  async findJob(id: string): Promise<ProvisioningJobRecord | null> {
    const r = await this.runner.get<JobRow>('SELECT * FROM provisioning_jobs WHERE id = ?', [id]);
    return r ? toJob(r) : null;
  }
  async getJob(id: string): Promise<ProvisioningJobRecord> {
    const j = await this.findJob(id);
    if (!j) throw new NotFoundError('provisioning_job', id);
    return j;
  }
  async listJobsOf(servicePrincipalId: string): Promise<ProvisioningJobRecord[]> {
    return (
      await this.runner.all<JobRow>(
        'SELECT * FROM provisioning_jobs WHERE service_principal_id = ? ORDER BY created_at',
        [servicePrincipalId],
      )
    ).map(toJob);
  }
  async listJobs(): Promise<ProvisioningJobRecord[]> {
    return (await this.runner.all<JobRow>('SELECT * FROM provisioning_jobs ORDER BY created_at')).map(toJob);
  }
  async deleteJob(id: string): Promise<void> {
    await this.runner.run('DELETE FROM provisioning_jobs WHERE id = ?', [id]);
  }

  async updateJob(
    id: string,
    patch: Partial<
      Pick<
        ProvisioningJobRecord,
        | 'statusCode'
        | 'scheduleState'
        | 'intervalSeconds'
        | 'schema'
        | 'settings'
        | 'status'
        | 'watermark'
        | 'configHash'
        | 'cycleCheckpoint'
        | 'forceDeletes'
        | 'nextRunAt'
        | 'runRequestedAt'
      >
    >,
  ): Promise<ProvisioningJobRecord> {
    const cols: Record<string, [string, (v: never) => unknown]> = {
      statusCode: ['status_code', (v) => v],
      scheduleState: ['schedule_state', (v) => v],
      intervalSeconds: ['interval_seconds', (v) => v],
      schema: ['schema_json', (v) => JSON.stringify(v)],
      settings: ['settings_json', (v) => JSON.stringify(v)],
      status: ['status_json', (v) => JSON.stringify(v)],
      watermark: ['watermark', (v) => v],
      configHash: ['config_hash', (v) => v],
      cycleCheckpoint: ['cycle_checkpoint', (v) => (v === null ? null : JSON.stringify(v))],
      forceDeletes: ['force_deletes', (v: boolean) => (v ? 1 : 0)],
      nextRunAt: ['next_run_at', (v) => v],
      runRequestedAt: ['run_requested_at', (v) => v],
    };
    const sets: string[] = [];
    const params: unknown[] = [];
    for (const [k, v] of Object.entries(patch)) {
      const c = cols[k];
      if (!c || v === undefined) continue;
      sets.push(`${c[0]} = ?`);
      params.push(c[1](v as never));
    }
    if (sets.length) {
      await this.runner.run(`UPDATE provisioning_jobs SET ${sets.join(', ')}, updated_at = ? WHERE id = ?`, [
        ...params,
        nowIso(),
        id,
      ]);
    }
    return this.getJob(id);
  }

  /**
   * Changes the status document in place, read-modify-write in one transaction (the row locked on
   * PostgreSQL, so that a worker and the API changing it at once do not undo each other).
   */
  async mutateStatus(id: string, fn: (s: JobStatusState) => void): Promise<JobStatusState> {
    return this.runner.transaction(async (tx) => {
      const r = await tx.get<JobRow>(`SELECT * FROM provisioning_jobs WHERE id = ?${this.d.forUpdate}`, [id]);
      if (!r) throw new NotFoundError('provisioning_job', id);
      const job = toJob(r);
      fn(job.status);
      await tx.run('UPDATE provisioning_jobs SET status_json = ?, updated_at = ? WHERE id = ?', [
        JSON.stringify(job.status),
        nowIso(),
        id,
      ]);
      return job.status;
    });
  }

  // ---- secrets ----

  async getSecrets(id: string): Promise<Record<string, string>> {
    const r = await this.runner.get<{ secrets_sealed: string | null }>(
      'SELECT secrets_sealed FROM provisioning_jobs WHERE id = ?',
      [id],
    );
    if (!r) throw new NotFoundError('provisioning_job', id);
    return r.secrets_sealed ? this.secrets.open<Record<string, string>>(r.secrets_sealed) : {};
  }
  async setSecrets(id: string, values: Record<string, string>): Promise<void> {
    await this.runner.run('UPDATE provisioning_jobs SET secrets_sealed = ?, updated_at = ? WHERE id = ?', [
      this.secrets.seal(values),
      nowIso(),
      id,
    ]);
  }

  /**
   * A fingerprint of what a cycle of the job is planned with: its schema (mappings, scoping
   * filters, object actions), settings and secrets other than the notification ones. A preview
   * records it, and its plan runs only while it holds. It is a hash: no secret can be read from it.
   */
  async configurationFingerprint(id: string): Promise<string> {
    const r = await this.runner.get<{ schema_json: string; settings_json: string }>(
      'SELECT schema_json, settings_json FROM provisioning_jobs WHERE id = ?',
      [id],
    );
    if (!r) throw new NotFoundError('provisioning_job', id);
    const secrets = Object.entries(await this.getSecrets(id))
      .filter(([name]) => !NOTIFICATION_SECRETS.has(name))
      .sort(([a], [b]) => a.localeCompare(b));
    return createHash('sha256')
      .update(r.schema_json)
      .update('\0')
      .update(r.settings_json)
      .update('\0')
      .update(JSON.stringify(secrets))
      .digest('base64url');
  }

  // ---- leases ----

  /**
   * Takes the lease of one due job, atomically across processes (the runner's transaction is
   * IMMEDIATE on SQLite; on PostgreSQL the job is locked, and jobs other workers are claiming are
   * passed over): lease free or expired, and either a cycle to resume (a checkpoint left by a crash
   * or a stop: pausing lets a running cycle finish) or an active schedule whose next run is reached
   * or a run requested. Jobs never run (no time at all) come first, as SQLite orders nulls.
   */
  async claimDueJob(owner: string, now: Date, leaseMs: number): Promise<ProvisioningJobRecord | null> {
    const nowS = now.toISOString();
    const expires = new Date(now.getTime() + leaseMs).toISOString();
    const id = await this.runner.transaction(async (tx) => {
      const r = await tx.get<{ id: string }>(
        `SELECT id FROM provisioning_jobs
         WHERE (lease_expires_at IS NULL OR lease_expires_at < ?)
           AND ((schedule_state = 'Active'
                 AND (run_requested_at IS NOT NULL OR next_run_at IS NULL OR next_run_at <= ?))
                OR (cycle_checkpoint IS NOT NULL AND schedule_state != 'Disabled'))
         ORDER BY cycle_checkpoint IS NULL, COALESCE(run_requested_at, next_run_at) NULLS FIRST
         LIMIT 1${this.d.forUpdateSkipLocked}`,
        [nowS, nowS],
      );
      if (!r) return null;
      await tx.run('UPDATE provisioning_jobs SET lease_owner = ?, lease_expires_at = ? WHERE id = ?', [
        owner,
        expires,
        r.id,
      ]);
      return r.id;
    });
    return id ? this.getJob(id) : null;
  }

  /** Extends a lease the owner still holds; false if it was lost (expired and taken). */
  async renewLease(id: string, owner: string, now: Date, leaseMs: number): Promise<boolean> {
    const info = await this.runner.run(
      'UPDATE provisioning_jobs SET lease_expires_at = ? WHERE id = ? AND lease_owner = ?',
      [new Date(now.getTime() + leaseMs).toISOString(), id, owner],
    );
    return info.changes === 1;
  }

  /**
   * Saves the running cycle's checkpoint (and its progress in the status) if `owner` still holds
   * the lease and the checkpoint still belongs to that cycle: a worker that lost the job, or whose
   * cycle was reset by a restart, writes nothing. False when nothing was written.
   */
  async saveCycleCheckpoint(
    id: string,
    owner: string,
    checkpoint: CycleCheckpoint,
    progress: SynchronizationProgress[],
  ): Promise<boolean> {
    return this.runner.transaction(async (tx) => {
      const r = await tx.get<{
        lease_owner: string | null;
        cycle_checkpoint: string | null;
        status_json: string;
      }>(
        `SELECT lease_owner, cycle_checkpoint, status_json FROM provisioning_jobs WHERE id = ?${this.d.forUpdate}`,
        [id],
      );
      if (!r || r.lease_owner !== owner || r.cycle_checkpoint === null) return false;
      if ((JSON.parse(r.cycle_checkpoint) as CycleCheckpoint).cycleId !== checkpoint.cycleId) return false;
      const status = { ...emptyStatus(), ...(JSON.parse(r.status_json) as Partial<JobStatusState>) };
      status.progress = progress;
      await tx.run(
        'UPDATE provisioning_jobs SET cycle_checkpoint = ?, status_json = ?, updated_at = ? WHERE id = ?',
        [JSON.stringify(checkpoint), JSON.stringify(status), nowIso(), id],
      );
      return true;
    });
  }

  /**
   * Forgets the running cycle's checkpoint, so that the cycle is not resumed and the watermark it
   * would reach is not saved. Restart provisioning calls it (with the watermark reset): a cycle
   * running meanwhile finishes without moving the watermark, and the next cycle is initial.
   */
  async clearCycleCheckpoint(id: string): Promise<void> {
    await this.runner.run(
      'UPDATE provisioning_jobs SET cycle_checkpoint = NULL, updated_at = ? WHERE id = ?',
      [nowIso(), id],
    );
  }

  async releaseLease(id: string, owner: string): Promise<void> {
    await this.runner.run(
      'UPDATE provisioning_jobs SET lease_owner = NULL, lease_expires_at = NULL WHERE id = ? AND lease_owner = ?',
      [id, owner],
    );
  }
}
