import type { Sqlite } from './database';

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

/** Escrows of provisioning jobs: the objects whose export failed transiently, with their retry schedule. */
export class EscrowsRepository {
  private readonly upsert;
  private readonly remove;
  private readonly find;
  private readonly due;
  private readonly allOfType;
  constructor(private readonly db: Sqlite) {
    this.upsert = db.prepare(
      `INSERT INTO escrows (job_id, source_id, object_type, action, error_code, reason, attempts, first_failed_at,
         last_failed_at, next_attempt_at, cycle_id)
       VALUES (@jobId, @sourceId, @objectType, @action, @errorCode, @reason, @attempts, @firstFailedAt,
         @lastFailedAt, @nextAttemptAt, @cycleId)
       ON CONFLICT (job_id, source_id) DO UPDATE SET object_type = excluded.object_type, action = excluded.action,
         error_code = excluded.error_code, reason = excluded.reason, attempts = excluded.attempts,
         first_failed_at = excluded.first_failed_at, last_failed_at = excluded.last_failed_at,
         next_attempt_at = excluded.next_attempt_at, cycle_id = excluded.cycle_id`,
    );
    this.remove = db.prepare('DELETE FROM escrows WHERE job_id = ? AND source_id = ?');
    this.find = db.prepare('SELECT * FROM escrows WHERE job_id = ? AND source_id = ?');
    // A null type asks for every type: each phase of a cycle asks for its own.
    this.due = db
      .prepare(
        `SELECT source_id FROM escrows WHERE job_id = ? AND next_attempt_at <= ? AND (? IS NULL OR object_type = ?)
         ORDER BY next_attempt_at`,
      )
      .pluck();
    this.allOfType = db
      .prepare('SELECT source_id FROM escrows WHERE job_id = ? AND (? IS NULL OR object_type = ?)')
      .pluck();
  }

  findEscrow(jobId: string, sourceId: string): EscrowRecord | null {
    const r = this.find.get(jobId, sourceId) as Row | undefined;
    return r ? toEscrow(r) : null;
  }

  /** Escrows by source id, in one query per 500 ids. */
  listEscrowsBySourceIds(jobId: string, sourceIds: readonly string[]): Map<string, EscrowRecord> {
    const out = new Map<string, EscrowRecord>();
    for (let i = 0; i < sourceIds.length; i += 500) {
      const chunk = sourceIds.slice(i, i + 500);
      const rows = this.db
        .prepare(
          `SELECT * FROM escrows WHERE job_id = ? AND source_id IN (${chunk.map(() => '?').join(',')})`,
        )
        .all(jobId, ...chunk) as Row[];
      for (const r of rows) out.set(r.source_id, toEscrow(r));
    }
    return out;
  }

  /** Source ids whose next attempt is due at `now` (ISO time), of one object type when given. */
  listDueSourceIds(jobId: string, now: string, objectType?: string): string[] {
    return this.due.all(jobId, now, objectType ?? null, objectType ?? null) as string[];
  }

  /** Every source id with an escrow (an initial cycle visits them all), of one object type when given. */
  listSourceIds(jobId: string, objectType?: string): string[] {
    return this.allOfType.all(jobId, objectType ?? null, objectType ?? null) as string[];
  }

  /** The job's escrows, soonest retry first (for status pages). */
  listEscrows(jobId: string, limit = 100): EscrowRecord[] {
    return (
      this.db
        .prepare('SELECT * FROM escrows WHERE job_id = ? ORDER BY next_attempt_at, source_id LIMIT ?')
        .all(jobId, limit) as Row[]
    ).map(toEscrow);
  }

  countEscrows(jobId: string): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM escrows WHERE job_id = ?').get(jobId) as { n: number })
      .n;
  }

  /** The job's escrows per object type ('User', 'Group', 'Membership', 'Reference'). */
  countEscrowsByType(jobId: string): Record<string, number> {
    const rows = this.db
      .prepare('SELECT object_type, COUNT(*) AS n FROM escrows WHERE job_id = ? GROUP BY object_type')
      .all(jobId) as { object_type: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.object_type, r.n]));
  }

  /** When the job's earliest escrow is due, or null without escrows. */
  findNextAttemptAt(jobId: string): string | null {
    const r = this.db
      .prepare('SELECT MIN(next_attempt_at) AS at FROM escrows WHERE job_id = ?')
      .get(jobId) as { at: string | null };
    return r.at;
  }

  saveEscrow(e: EscrowRecord): void {
    this.upsert.run(e);
  }

  deleteEscrow(jobId: string, sourceId: string): void {
    this.remove.run(jobId, sourceId);
  }

  /** Restart with resetScope `Escrows` (or `Full`): the failed objects are no longer retried. */
  clearEscrows(jobId: string): number {
    return this.db.prepare('DELETE FROM escrows WHERE job_id = ?').run(jobId).changes;
  }
}
