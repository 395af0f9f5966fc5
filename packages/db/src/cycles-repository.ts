import type { Sqlite } from './database';
import { nowIso } from './util';

export type CycleKind = 'Initial' | 'Incremental';
export type CycleState = 'Running' | 'Succeeded' | 'Failed' | 'EntryLevelErrors';

export interface CycleCounts {
  imported: number;
  entitled: number;
  exported: number;
  escrowed: number;
  skipped: number;
  failed: number;
  created: number;
  updated: number;
  disabled: number;
  deleted: number;
  [key: string]: number;
}
export const emptyCounts = (): CycleCounts => ({
  imported: 0,
  entitled: 0,
  exported: 0,
  escrowed: 0,
  skipped: 0,
  failed: 0,
  created: 0,
  updated: 0,
  disabled: 0,
  deleted: 0,
});

export interface CycleRecord {
  id: string;
  jobId: string;
  kind: CycleKind;
  state: CycleState;
  beganAt: string;
  endedAt: string | null;
  counts: CycleCounts;
  error: { code: string; message: string } | null;
}
interface Row {
  id: string;
  job_id: string;
  kind: CycleKind;
  state: CycleState;
  began_at: string;
  ended_at: string | null;
  counts_json: string;
  error_json: string | null;
}
const toCycle = (r: Row): CycleRecord => ({
  id: r.id,
  jobId: r.job_id,
  kind: r.kind,
  state: r.state,
  beganAt: r.began_at,
  endedAt: r.ended_at,
  counts: { ...emptyCounts(), ...(JSON.parse(r.counts_json) as CycleCounts) },
  error: r.error_json ? (JSON.parse(r.error_json) as { code: string; message: string }) : null,
});

/** One row per cycle a job ran: what the overview lists as the last cycles. */
export class CyclesRepository {
  constructor(private readonly db: Sqlite) {}

  insertCycle(c: { id: string; jobId: string; kind: CycleKind }): CycleRecord {
    this.db
      .prepare("INSERT INTO cycles (id, job_id, kind, state, began_at) VALUES (?, ?, ?, 'Running', ?)")
      .run(c.id, c.jobId, c.kind, nowIso());
    return this.getCycle(c.id);
  }
  getCycle(id: string): CycleRecord {
    const r = this.db.prepare('SELECT * FROM cycles WHERE id = ?').get(id) as Row | undefined;
    if (!r) throw new Error(`cycle '${id}' does not exist`);
    return toCycle(r);
  }
  finishCycle(
    id: string,
    state: Exclude<CycleState, 'Running'>,
    counts: CycleCounts,
    error: CycleRecord['error'],
  ): CycleRecord {
    this.db
      .prepare('UPDATE cycles SET state = ?, ended_at = ?, counts_json = ?, error_json = ? WHERE id = ?')
      .run(state, nowIso(), JSON.stringify(counts), error ? JSON.stringify(error) : null, id);
    return this.getCycle(id);
  }
  listCycles(jobId: string, limit: number): CycleRecord[] {
    return (
      this.db
        .prepare('SELECT * FROM cycles WHERE job_id = ? ORDER BY began_at DESC LIMIT ?')
        .all(jobId, limit) as Row[]
    ).map(toCycle);
  }
  /** Cycles left 'Running' by a worker that died: closed as failed when another takes the job over. */
  failRunningCycles(jobId: string, message: string): number {
    return this.db
      .prepare(
        "UPDATE cycles SET state = 'Failed', ended_at = ?, error_json = ? WHERE job_id = ? AND state = 'Running'",
      )
      .run(nowIso(), JSON.stringify({ code: 'WorkerInterrupted', message }), jobId).changes;
  }
}
