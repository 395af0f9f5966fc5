import type { TargetCheckFinding } from '@provisio/contracts';
import { dialectOf, type SqlDialect } from './dialect';
import type { SqlRunner } from './sql-runner';

export type TargetCheckStatus = 'running' | 'completed' | 'failed';

export interface TargetCheckRecord {
  id: string;
  jobId: string;
  status: TargetCheckStatus;
  initiatedBy: { id: string; userName: string };
  tenantUrl: string;
  findings: TargetCheckFinding[];
  requests: number;
  durationMs: number;
  startedAt: string;
  completedAt: string | null;
}

interface Row {
  id: string;
  job_id: string;
  status: TargetCheckStatus;
  initiated_by_json: string;
  tenant_url: string;
  findings_json: string;
  requests: number;
  duration_ms: number;
  started_at: string;
  completed_at: string | null;
}

const toRecord = (r: Row): TargetCheckRecord => ({
  id: r.id,
  jobId: r.job_id,
  status: r.status,
  initiatedBy: JSON.parse(r.initiated_by_json) as TargetCheckRecord['initiatedBy'],
  tenantUrl: r.tenant_url,
  findings: JSON.parse(r.findings_json) as TargetCheckFinding[],
  requests: r.requests,
  durationMs: r.duration_ms,
  startedAt: r.started_at,
  completedAt: r.completed_at,
});

/** A job keeps its newest checks; older ones go when a new one starts. */
const KEPT_PER_JOB = 5;

/** Target conformance checks of provisioning jobs (the API runs and records them). */
export class TargetChecksRepository {
  private readonly d: SqlDialect;
  constructor(private readonly runner: SqlRunner) {
    this.d = dialectOf(runner.dialect);
  }

  /** Records a check as running, and drops the job's finished checks beyond the newest few. */
  async insertTargetCheck(input: {
    id: string;
    jobId: string;
    initiatedBy: { id: string; userName: string };
    tenantUrl: string;
    startedAt: string;
  }): Promise<TargetCheckRecord> {
    return this.runner.transaction(async (tx) => {
      await tx.run(
        `DELETE FROM target_checks WHERE job_id = ? AND status <> 'running' AND id NOT IN (
           SELECT id FROM target_checks WHERE job_id = ? ORDER BY started_at DESC LIMIT ?)`,
        [input.jobId, input.jobId, KEPT_PER_JOB - 1],
      );
      await tx.run(
        `INSERT INTO target_checks (id, job_id, status, initiated_by_json, tenant_url, findings_json, started_at)
         VALUES (?, ?, 'running', ?, ?, '[]', ?)`,
        [input.id, input.jobId, JSON.stringify(input.initiatedBy), input.tenantUrl, input.startedAt],
      );
      return (await new TargetChecksRepository(tx).findTargetCheck(input.id))!;
    });
  }

  /** Stores what a check found and its end. */
  async completeTargetCheck(
    id: string,
    result: {
      status: Exclude<TargetCheckStatus, 'running'>;
      findings: TargetCheckFinding[];
      requests: number;
      durationMs: number;
      completedAt: string;
    },
  ): Promise<TargetCheckRecord> {
    await this.runner.run(
      `UPDATE target_checks SET status = ?, findings_json = ?, requests = ?, duration_ms = ?, completed_at = ?
       WHERE id = ?`,
      [
        result.status,
        JSON.stringify(result.findings),
        result.requests,
        Math.round(result.durationMs),
        result.completedAt,
        id,
      ],
    );
    return (await this.findTargetCheck(id))!;
  }

  async findTargetCheck(id: string): Promise<TargetCheckRecord | null> {
    const r = await this.runner.get<Row>('SELECT * FROM target_checks WHERE id = ?', [id]);
    return r ? toRecord(r) : null;
  }

  /** The job's newest check, or null when none ran. */
  async findLatestTargetCheck(jobId: string): Promise<TargetCheckRecord | null> {
    const r = await this.runner.get<Row>(
      `SELECT * FROM target_checks WHERE job_id = ? ORDER BY started_at DESC, ${this.d.insertionOrder} DESC LIMIT 1`,
      [jobId],
    );
    return r ? toRecord(r) : null;
  }
}
