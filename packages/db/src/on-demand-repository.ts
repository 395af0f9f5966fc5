import type { ProvisioningObjectSummary } from '@provisio/contracts';
import { dialectOf, type SqlDialect } from './dialect';
import type { SqlRunner } from './sql-runner';
import { NotFoundError, nowIso } from './util';

export type OnDemandStatus = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Expired';

export interface OnDemandSubject {
  objectId: string;
  objectTypeName: 'User' | 'Group';
  /** For a group: the members (at most five) provisioned with it and added to it. */
  members?: string[];
}

/** What became of one subject: its provisioning event, or why it has none. */
export interface OnDemandSubjectResult {
  objectId: string;
  event: ProvisioningObjectSummary | null;
  error: { code: string; message: string } | null;
}

export interface OnDemandRequestRecord {
  id: string;
  jobId: string;
  servicePrincipalId: string;
  ruleId: string;
  subjects: OnDemandSubject[];
  requestedBy: { id: string; userName: string };
  status: OnDemandStatus;
  workerId: string | null;
  results: OnDemandSubjectResult[] | null;
  /** Why the request as a whole could not be processed (e.g. the job's configuration). */
  error: { code: string; message: string } | null;
  createdAt: string;
  expiresAt: string;
  startedAt: string | null;
  completedAt: string | null;
}

interface Row {
  id: string;
  job_id: string;
  service_principal_id: string;
  rule_id: string;
  subjects_json: string;
  requested_by_json: string;
  status: OnDemandStatus;
  worker_id: string | null;
  results_json: string | null;
  error_code: string | null;
  error_message: string | null;
  created_at: string;
  expires_at: string;
  started_at: string | null;
  completed_at: string | null;
}

const toRecord = (r: Row): OnDemandRequestRecord => ({
  id: r.id,
  jobId: r.job_id,
  servicePrincipalId: r.service_principal_id,
  ruleId: r.rule_id,
  subjects: JSON.parse(r.subjects_json) as OnDemandSubject[],
  requestedBy: JSON.parse(r.requested_by_json) as { id: string; userName: string },
  status: r.status,
  workerId: r.worker_id,
  results: r.results_json ? (JSON.parse(r.results_json) as OnDemandSubjectResult[]) : null,
  error: r.error_code ? { code: r.error_code, message: r.error_message ?? '' } : null,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  startedAt: r.started_at,
  completedAt: r.completed_at,
});

/** Finished requests are kept this long (their events stay in the provisioning logs). */
const KEEP_FINISHED_MS = 24 * 60 * 60 * 1000;

/**
 * Provision-on-demand requests: written by the API, claimed and answered by a worker. The claim
 * takes the request and its job's lease in one transaction (IMMEDIATE on SQLite; on PostgreSQL both
 * rows locked, those another worker is claiming passed over), so a request runs exactly once and
 * never beside a cycle of the same job.
 */
export class OnDemandRepository {
  private readonly d: SqlDialect;
  constructor(private readonly runner: SqlRunner) {
    this.d = dialectOf(runner.dialect);
  }

  async insertRequest(input: {
    id: string;
    jobId: string;
    servicePrincipalId: string;
    ruleId: string;
    subjects: OnDemandSubject[];
    requestedBy: { id: string; userName: string };
    createdAt: string;
    expiresAt: string;
  }): Promise<OnDemandRequestRecord> {
    return this.runner.transaction(async (tx) => {
      await tx.run(
        `DELETE FROM on_demand_requests WHERE job_id = ? AND created_at < ? AND status NOT IN ('Pending', 'Running')`,
        [input.jobId, new Date(Date.parse(input.createdAt) - KEEP_FINISHED_MS).toISOString()],
      );
      await tx.run(
        `INSERT INTO on_demand_requests (id, job_id, service_principal_id, rule_id, subjects_json, requested_by_json,
         status, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, 'Pending', ?, ?)`,
        [
          input.id,
          input.jobId,
          input.servicePrincipalId,
          input.ruleId,
          JSON.stringify(input.subjects),
          JSON.stringify(input.requestedBy),
          input.createdAt,
          input.expiresAt,
        ],
      );
      return new OnDemandRepository(tx).getRequest(input.id);
    });
  }

  async findRequest(id: string): Promise<OnDemandRequestRecord | null> {
    const r = await this.runner.get<Row>('SELECT * FROM on_demand_requests WHERE id = ?', [id]);
    return r ? toRecord(r) : null;
  }
  async getRequest(id: string): Promise<OnDemandRequestRecord> {
    const r = await this.findRequest(id);
    if (!r) throw new NotFoundError('provisioning_on_demand', id);
    return r;
  }

  /** When the job's requests since `since` were made, oldest first (the API's rate limit). */
  async listRequestTimesSince(jobId: string, since: string): Promise<string[]> {
    return (
      await this.runner.all<{ created_at: string }>(
        'SELECT created_at FROM on_demand_requests WHERE job_id = ? AND created_at > ? ORDER BY created_at',
        [jobId, since],
      )
    ).map((r) => r.created_at);
  }

  /**
   * Claims the oldest pending request whose job's lease is free (or expired), and takes that lease
   * for `owner`, atomically across processes. Requests past their expiry are marked Expired first:
   * their caller was already told they timed out.
   */
  async claimRequest(owner: string, now: Date, leaseMs: number): Promise<OnDemandRequestRecord | null> {
    // Workers ask on every pass of their loop; a plain read keeps the usual "nothing waiting" answer
    // from taking the database's write lock.
    const waiting = await this.runner.get(
      `SELECT 1 FROM on_demand_requests WHERE status IN ('Pending', 'Running') LIMIT 1`,
    );
    if (!waiting) return null;
    const nowS = now.toISOString();
    const expires = new Date(now.getTime() + leaseMs).toISOString();
    const id = await this.runner.transaction(async (tx) => {
      // A request whose worker no longer holds the job's lease was abandoned (the worker died):
      // it fails, so that it does not stay Running for ever.
      await tx.run(
        `UPDATE on_demand_requests SET status = 'Failed', error_code = 'WorkerStopped',
           error_message = 'The worker stopped before it finished this request. Provision on demand again.',
           completed_at = ?
         WHERE status = 'Running' AND NOT EXISTS (
           SELECT 1 FROM provisioning_jobs j WHERE j.id = on_demand_requests.job_id
             AND j.lease_owner = on_demand_requests.worker_id AND j.lease_expires_at >= ?)`,
        [nowS, nowS],
      );
      await tx.run(
        `UPDATE on_demand_requests SET status = 'Expired', completed_at = ? WHERE status = 'Pending' AND expires_at <= ?`,
        [nowS, nowS],
      );
      const r = await tx.get<{ id: string; job_id: string }>(
        `SELECT r.id, r.job_id FROM on_demand_requests r JOIN provisioning_jobs j ON j.id = r.job_id
         WHERE r.status = 'Pending' AND (j.lease_expires_at IS NULL OR j.lease_expires_at < ?)
         ORDER BY r.created_at LIMIT 1${this.d.forUpdateSkipLocked}`,
        [nowS],
      );
      if (!r) return null;
      await tx.run(
        `UPDATE on_demand_requests SET status = 'Running', worker_id = ?, started_at = ? WHERE id = ?`,
        [owner, nowS, r.id],
      );
      await tx.run('UPDATE provisioning_jobs SET lease_owner = ?, lease_expires_at = ? WHERE id = ?', [
        owner,
        expires,
        r.job_id,
      ]);
      return r.id;
    });
    return id ? this.getRequest(id) : null;
  }

  /** Records the outcome of a request `owner` runs; false when it is not (or no longer) its request. */
  async completeRequest(
    id: string,
    owner: string,
    outcome: {
      status: 'Succeeded' | 'Failed';
      results: OnDemandSubjectResult[];
      error: { code: string; message: string } | null;
    },
    now: Date,
  ): Promise<boolean> {
    const info = await this.runner.run(
      `UPDATE on_demand_requests SET status = ?, results_json = ?, error_code = ?, error_message = ?, completed_at = ?
       WHERE id = ? AND worker_id = ? AND status = 'Running'`,
      [
        outcome.status,
        JSON.stringify(outcome.results),
        outcome.error?.code ?? null,
        outcome.error?.message ?? null,
        now.toISOString(),
        id,
        owner,
      ],
    );
    return info.changes === 1;
  }

  /** Gives up a request no worker has claimed yet; false when a worker already has it. */
  async expireRequest(id: string): Promise<boolean> {
    return (
      (
        await this.runner.run(
          `UPDATE on_demand_requests SET status = 'Expired', completed_at = ? WHERE id = ? AND status = 'Pending'`,
          [nowIso(), id],
        )
      ).changes === 1
    );
  }
}
