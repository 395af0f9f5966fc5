import type { SqlRunner } from './sql-runner';
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
  /** The worker that ran the cycle (the last one, when another resumed it). */
  workerId: string | null;
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
  worker_id: string | null;
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
  workerId: r.worker_id,
});

/** One row per cycle a job ran: what the overview lists as the last cycles. */
export class CyclesRepository {
  constructor(private readonly runner: SqlRunner) {}

  async insertCycle(c: {
    id: string;
    jobId: string;
    kind: CycleKind;
    beganAt?: string;
    workerId?: string | null;
  }): Promise<CycleRecord> {
    await this.runner.run(
      "INSERT INTO cycles (id, job_id, kind, state, began_at, worker_id) VALUES (?, ?, ?, 'Running', ?, ?)",
      [c.id, c.jobId, c.kind, c.beganAt ?? nowIso(), c.workerId ?? null],
    );
    return this.getCycle(c.id);
  }
  async findCycle(id: string): Promise<CycleRecord | null> {
    const r = await this.runner.get<Row>('SELECT * FROM cycles WHERE id = ?', [id]);
    return r ? toCycle(r) : null;
  }
  /** A worker resuming an interrupted cycle takes it over. */
  async setCycleWorker(id: string, workerId: string): Promise<void> {
    await this.runner.run('UPDATE cycles SET worker_id = ? WHERE id = ?', [workerId, id]);
  }
  async getCycle(id: string): Promise<CycleRecord> {
    const r = await this.runner.get<Row>('SELECT * FROM cycles WHERE id = ?', [id]);
    if (!r) throw new Error(`cycle '${id}' does not exist`);
    return toCycle(r);
  }
  async finishCycle(
    id: string,
    state: Exclude<CycleState, 'Running'>,
    counts: CycleCounts,
    error: CycleRecord['error'],
  ): Promise<CycleRecord> {
    await this.runner.run(
      'UPDATE cycles SET state = ?, ended_at = ?, counts_json = ?, error_json = ? WHERE id = ?',
      [state, nowIso(), JSON.stringify(counts), error ? JSON.stringify(error) : null, id],
    );
    return this.getCycle(id);
  }
  async listCycles(jobId: string, limit: number): Promise<CycleRecord[]> {
    return (
      await this.runner.all<Row>('SELECT * FROM cycles WHERE job_id = ? ORDER BY began_at DESC LIMIT ?', [
        jobId,
        limit,
      ])
    ).map(toCycle);
  }
  /**
   * Cycles left 'Running' that will not be resumed (no checkpoint, or one abandoned after a
   * configuration change or a restart): closed as failed. `exceptCycleId` is the one being resumed.
   */
  async failRunningCycles(
    jobId: string,
    error: { code: string; message: string },
    exceptCycleId: string | null = null,
  ): Promise<number> {
    return (
      await this.runner.run(
        "UPDATE cycles SET state = 'Failed', ended_at = ?, error_json = ? WHERE job_id = ? AND state = 'Running' AND id IS DISTINCT FROM ?",
        [nowIso(), JSON.stringify(error), jobId, exceptCycleId],
      )
    ).changes;
  }
}
