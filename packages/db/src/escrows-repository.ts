import type { SqlRunner } from './sql-runner';
import { bulkChunks } from './util';

/** A failed object operation kept for retry: what failed, how often, and when it is tried again. */
export interface EscrowRecord {
  jobId: string;
  sourceId: string;
  objectType: string;
  /** The provisioning action that failed (`create`, `update`, `disable`, `delete`, `other` for a lookup). */
  action: string;
  errorCode: string;
  reason: string;
  /** Failed attempts so far, the first included. */
  attempts: number;
  firstFailedAt: string;
  lastFailedAt: string;
  /** The first cycle starting after this time retries the object. */
  nextAttemptAt: string;
  /** The cycle of the last failure. */
  cycleId: string;
}

interface Row {
  job_id: string;
  source_id: string;
  object_type: string;
  action: string;
  error_code: string;
  reason: string;
  attempts: number;
  first_failed_at: string;
  last_failed_at: string;
  next_attempt_at: string;
  cycle_id: string;
}
const toEscrow = (r: Row): EscrowRecord => ({
  jobId: r.job_id,
  sourceId: r.source_id,
  objectType: r.object_type,
  action: r.action,
  errorCode: r.error_code,
  reason: r.reason,
  attempts: r.attempts,
  firstFailedAt: r.first_failed_at,
  lastFailedAt: r.last_failed_at,
  nextAttemptAt: r.next_attempt_at,
  cycleId: r.cycle_id,
});

// A cycle reads and writes escrows once per object that failed or is retried: fixed texts, so that
// the runner prepares each once.
const UPSERT_ESCROW = `INSERT INTO escrows (job_id, source_id, object_type, action, error_code, reason, attempts, first_failed_at,
    last_failed_at, next_attempt_at, cycle_id)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (job_id, source_id) DO UPDATE SET object_type = excluded.object_type, action = excluded.action,
    error_code = excluded.error_code, reason = excluded.reason, attempts = excluded.attempts,
    first_failed_at = excluded.first_failed_at, last_failed_at = excluded.last_failed_at,
    next_attempt_at = excluded.next_attempt_at, cycle_id = excluded.cycle_id`;
const DELETE_ESCROW = 'DELETE FROM escrows WHERE job_id = ? AND source_id = ?';
const FIND_ESCROW = 'SELECT * FROM escrows WHERE job_id = ? AND source_id = ?';
// A null type asks for every type: each phase of a cycle asks for its own. (The cast gives the
// parameter a type: PostgreSQL cannot tell one from `? IS NULL` alone.)
const DUE_SOURCE_IDS = `SELECT source_id FROM escrows WHERE job_id = ? AND next_attempt_at <= ?
    AND (CAST(? AS TEXT) IS NULL OR object_type = ?)
  ORDER BY next_attempt_at`;
const SOURCE_IDS_OF_TYPE =
  'SELECT source_id FROM escrows WHERE job_id = ? AND (CAST(? AS TEXT) IS NULL OR object_type = ?)';

/** Escrows of provisioning jobs: the objects whose export failed transiently, with their retry schedule. */
export class EscrowsRepository {
  constructor(private readonly runner: SqlRunner) {}

  async findEscrow(jobId: string, sourceId: string): Promise<EscrowRecord | null> {
    const r = await this.runner.get<Row>(FIND_ESCROW, [jobId, sourceId]);
    return r ? toEscrow(r) : null;
  }

  /** Escrows by source id, in one query per 500 ids. */
  async listEscrowsBySourceIds(
    jobId: string,
    sourceIds: readonly string[],
  ): Promise<Map<string, EscrowRecord>> {
    const out = new Map<string, EscrowRecord>();
    for (const { chunk } of bulkChunks(sourceIds)) {
      const rows = await this.runner.all<Row>(
        `SELECT * FROM escrows WHERE job_id = ? AND source_id IN (${chunk.map(() => '?').join(',')})`,
        [jobId, ...chunk],
      );
      for (const r of rows) out.set(r.source_id, toEscrow(r));
    }
    return out;
  }

  /** Source ids whose next attempt is due at `now` (ISO time), of one object type when given. */
  async listDueSourceIds(jobId: string, now: string, objectType?: string): Promise<string[]> {
    return (
      await this.runner.all<{ source_id: string }>(DUE_SOURCE_IDS, [
        jobId,
        now,
        objectType ?? null,
        objectType ?? null,
      ])
    ).map((r) => r.source_id);
  }

  /** Every source id with an escrow (an initial cycle visits them all), of one object type when given. */
  async listSourceIds(jobId: string, objectType?: string): Promise<string[]> {
    return (
      await this.runner.all<{ source_id: string }>(SOURCE_IDS_OF_TYPE, [
        jobId,
        objectType ?? null,
        objectType ?? null,
      ])
    ).map((r) => r.source_id);
  }

  /** The job's escrows, soonest retry first (for status pages). */
  async listEscrows(jobId: string, limit = 100): Promise<EscrowRecord[]> {
    return (
      await this.runner.all<Row>(
        'SELECT * FROM escrows WHERE job_id = ? ORDER BY next_attempt_at, source_id LIMIT ?',
        [jobId, limit],
      )
    ).map(toEscrow);
  }

  async countEscrows(jobId: string): Promise<number> {
    return (await this.runner.get<{ n: number }>('SELECT COUNT(*) AS n FROM escrows WHERE job_id = ?', [
      jobId,
    ]))!.n;
  }

  /** The job's escrows per object type ('User', 'Group', 'Membership', 'Reference'). */
  async countEscrowsByType(jobId: string): Promise<Record<string, number>> {
    const rows = await this.runner.all<{ object_type: string; n: number }>(
      'SELECT object_type, COUNT(*) AS n FROM escrows WHERE job_id = ? GROUP BY object_type',
      [jobId],
    );
    return Object.fromEntries(rows.map((r) => [r.object_type, r.n]));
  }

  /** When the job's earliest escrow is due, or null without escrows. */
  async findNextAttemptAt(jobId: string): Promise<string | null> {
    const r = await this.runner.get<{ at: string | null }>(
      'SELECT MIN(next_attempt_at) AS at FROM escrows WHERE job_id = ?',
      [jobId],
    );
    return r!.at;
  }

  async saveEscrow(e: EscrowRecord): Promise<void> {
    await this.runner.run(UPSERT_ESCROW, [
      e.jobId,
      e.sourceId,
      e.objectType,
      e.action,
      e.errorCode,
      e.reason,
      e.attempts,
      e.firstFailedAt,
      e.lastFailedAt,
      e.nextAttemptAt,
      e.cycleId,
    ]);
  }

  async deleteEscrow(jobId: string, sourceId: string): Promise<void> {
    await this.runner.run(DELETE_ESCROW, [jobId, sourceId]);
  }

  /** Restart with resetScope `Escrows` (or `Full`): the failed objects are no longer retried. */
  async clearEscrows(jobId: string): Promise<number> {
    return (await this.runner.run('DELETE FROM escrows WHERE job_id = ?', [jobId])).changes;
  }
}
