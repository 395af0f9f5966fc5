import type { CyclePreviewCounts, CyclePreviewObject, PreviewAction } from '@provisio/contracts';
import { dialectOf, type SqlDialect } from './dialect';
import type { SqlRunner } from './sql-runner';
import {
  containsPattern,
  decodeCursor,
  encodeCursor,
  insertNumbered,
  NotFoundError,
  valueRows,
  type Page,
} from './util';

export type PreviewStatus = 'running' | 'succeeded' | 'failed';

export interface CyclePreviewRecord {
  id: string;
  jobId: string;
  status: PreviewStatus;
  /** The worker planning it; null until one claims it. */
  workerId: string | null;
  requestedBy: { id: string; userName: string };
  cycleKind: 'Initial' | 'Incremental' | null;
  /** The job's configuration fingerprint the plan was made with. */
  configHash: string | null;
  /** The job's watermark when the plan was made (a cycle since then moves it). */
  watermark: unknown;
  /** The directory change number the plan covers up to. */
  upTo: number | null;
  counts: CyclePreviewCounts;
  progress: { completed: number; total: number; units: string } | null;
  error: { code: string; message: string } | null;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
  run: { at: string; by: { id: string; userName: string }; changed: number } | null;
}

/** One planned object, as the preview's page lists it. */
export interface PreviewObjectRecord {
  objectType: string;
  sourceId: string;
  /** Names and ids, lower-cased, for the page's search. */
  searchText: string;
  object: CyclePreviewObject;
}

export const emptyPreviewCounts = (): CyclePreviewCounts => ({
  create: 0,
  update: 0,
  disable: 0,
  delete: 0,
  skip: 0,
  staged: 0,
  failed: 0,
});

interface Row {
  id: string;
  job_id: string;
  status: PreviewStatus;
  worker_id: string | null;
  requested_by_json: string;
  cycle_kind: 'Initial' | 'Incremental' | null;
  config_hash: string | null;
  watermark_json: string | null;
  up_to: number | null;
  counts_json: string;
  progress_json: string | null;
  error_code: string | null;
  error_message: string | null;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  run_at: string | null;
  run_by_json: string | null;
  run_changed: number | null;
}

const toRecord = (r: Row): CyclePreviewRecord => ({
  id: r.id,
  jobId: r.job_id,
  status: r.status,
  workerId: r.worker_id,
  requestedBy: JSON.parse(r.requested_by_json) as CyclePreviewRecord['requestedBy'],
  cycleKind: r.cycle_kind,
  configHash: r.config_hash,
  watermark: r.watermark_json === null ? null : (JSON.parse(r.watermark_json) as unknown),
  upTo: r.up_to,
  counts: JSON.parse(r.counts_json) as CyclePreviewCounts,
  progress: r.progress_json ? (JSON.parse(r.progress_json) as CyclePreviewRecord['progress']) : null,
  error: r.error_code ? { code: r.error_code, message: r.error_message ?? '' } : null,
  createdAt: r.created_at,
  startedAt: r.started_at,
  completedAt: r.completed_at,
  run:
    r.run_at && r.run_by_json
      ? {
          at: r.run_at,
          by: JSON.parse(r.run_by_json) as { id: string; userName: string },
          changed: r.run_changed ?? 0,
        }
      : null,
});

/** A job keeps its newest previews; older ones (and their objects) go when a new one is made. */
const KEPT_PER_JOB = 5;

// A preview's planned objects, written as the group commit gathers them (one statement per 500 at most).
const INSERT_OBJECTS = (rows: number) =>
  `INSERT INTO cycle_preview_objects (preview_id, seq, object_type, source_id, action, search_text, object_json) VALUES ${valueRows(rows, 7)}`;

/**
 * Previews of the next cycle: recorded by the API, claimed and planned by a worker. The claim takes
 * the preview and its job's lease in one transaction (IMMEDIATE on SQLite; on PostgreSQL both rows
 * locked, those another worker is claiming passed over), so a preview is planned once and never
 * beside a cycle of the same job.
 */
export class PreviewsRepository {
  private readonly d: SqlDialect;
  constructor(private readonly runner: SqlRunner) {
    this.d = dialectOf(runner.dialect);
  }

  async insertPreview(input: {
    id: string;
    jobId: string;
    requestedBy: { id: string; userName: string };
    createdAt: string;
  }): Promise<CyclePreviewRecord> {
    return this.runner.transaction(async (tx) => {
      await tx.run(
        `DELETE FROM cycle_previews WHERE job_id = ? AND status <> 'running' AND id NOT IN (
           SELECT id FROM cycle_previews WHERE job_id = ? ORDER BY created_at DESC LIMIT ?)`,
        [input.jobId, input.jobId, KEPT_PER_JOB - 1],
      );
      await tx.run(
        `INSERT INTO cycle_previews (id, job_id, status, requested_by_json, counts_json, created_at)
       VALUES (?, ?, 'running', ?, ?, ?)`,
        [
          input.id,
          input.jobId,
          JSON.stringify(input.requestedBy),
          JSON.stringify(emptyPreviewCounts()),
          input.createdAt,
        ],
      );
      return new PreviewsRepository(tx).getPreview(input.id);
    });
  }

  async findPreview(id: string): Promise<CyclePreviewRecord | null> {
    const r = await this.runner.get<Row>('SELECT * FROM cycle_previews WHERE id = ?', [id]);
    return r ? toRecord(r) : null;
  }
  async getPreview(id: string): Promise<CyclePreviewRecord> {
    const r = await this.findPreview(id);
    if (!r) throw new NotFoundError('provisioning_preview', id);
    return r;
  }

  /** The job's previews, newest first. */
  async listPreviews(jobId: string): Promise<CyclePreviewRecord[]> {
    return (
      await this.runner.all<Row>('SELECT * FROM cycle_previews WHERE job_id = ? ORDER BY created_at DESC', [
        jobId,
      ])
    ).map(toRecord);
  }

  /**
   * Claims the oldest unclaimed preview whose job's lease is free (or expired) and takes that lease
   * for `owner`, atomically across processes. A preview whose worker no longer holds the job's
   * lease was abandoned (the worker died): it fails, so that it does not stay running for ever.
   */
  async claimPreview(owner: string, now: Date, leaseMs: number): Promise<CyclePreviewRecord | null> {
    // Asked on every pass of a worker's loop: a plain read keeps "nothing waiting" off the write lock.
    const waiting = await this.runner.get(`SELECT 1 FROM cycle_previews WHERE status = 'running' LIMIT 1`);
    if (!waiting) return null;
    const nowS = now.toISOString();
    const expires = new Date(now.getTime() + leaseMs).toISOString();
    const id = await this.runner.transaction(async (tx) => {
      await tx.run(
        `UPDATE cycle_previews SET status = 'failed', error_code = 'WorkerStopped',
           error_message = 'The worker stopped before it finished this preview. Preview the next cycle again.',
           completed_at = ?
         WHERE status = 'running' AND worker_id IS NOT NULL AND NOT EXISTS (
           SELECT 1 FROM provisioning_jobs j WHERE j.id = cycle_previews.job_id
             AND j.lease_owner = cycle_previews.worker_id AND j.lease_expires_at >= ?)`,
        [nowS, nowS],
      );
      const r = await tx.get<{ id: string; job_id: string }>(
        `SELECT p.id, p.job_id FROM cycle_previews p JOIN provisioning_jobs j ON j.id = p.job_id
         WHERE p.status = 'running' AND p.worker_id IS NULL
           AND (j.lease_expires_at IS NULL OR j.lease_expires_at < ?)
         ORDER BY p.created_at LIMIT 1${this.d.forUpdateSkipLocked}`,
        [nowS],
      );
      if (!r) return null;
      await tx.run('UPDATE cycle_previews SET worker_id = ?, started_at = ? WHERE id = ?', [
        owner,
        nowS,
        r.id,
      ]);
      await tx.run('UPDATE provisioning_jobs SET lease_owner = ?, lease_expires_at = ? WHERE id = ?', [
        owner,
        expires,
        r.job_id,
      ]);
      return r.id;
    });
    return id ? this.getPreview(id) : null;
  }

  /** What the plan is made against, once the worker knows it. */
  async describePreview(
    id: string,
    owner: string,
    plan: { cycleKind: 'Initial' | 'Incremental'; configHash: string; watermark: unknown; upTo: number },
  ): Promise<void> {
    await this.runner.run(
      `UPDATE cycle_previews SET cycle_kind = ?, config_hash = ?, watermark_json = ?, up_to = ?
       WHERE id = ? AND worker_id = ?`,
      [
        plan.cycleKind,
        plan.configHash,
        plan.watermark === null || plan.watermark === undefined ? null : JSON.stringify(plan.watermark),
        plan.upTo,
        id,
        owner,
      ],
    );
  }

  /** Adds planned objects; `firstSeq` numbers the first of them (the caller keeps the count). */
  async insertObjects(
    previewId: string,
    firstSeq: number,
    objects: readonly PreviewObjectRecord[],
  ): Promise<void> {
    await insertNumbered(this.runner, INSERT_OBJECTS, firstSeq, objects, (o, seq) => [
      previewId,
      seq,
      o.objectType,
      o.sourceId,
      o.object.action,
      o.searchText,
      JSON.stringify(o.object),
    ]);
  }

  /** The counts so far and the progress the page shows while the preview runs. */
  async saveProgress(
    id: string,
    owner: string,
    counts: CyclePreviewCounts,
    progress: NonNullable<CyclePreviewRecord['progress']>,
  ): Promise<void> {
    await this.runner.run(
      `UPDATE cycle_previews SET counts_json = ?, progress_json = ? WHERE id = ? AND worker_id = ? AND status = 'running'`,
      [JSON.stringify(counts), JSON.stringify(progress), id, owner],
    );
  }

  /** Records how a preview `owner` planned ended; false when it is not (or no longer) its preview. */
  async completePreview(
    id: string,
    owner: string,
    outcome: {
      status: 'succeeded' | 'failed';
      counts: CyclePreviewCounts;
      error: { code: string; message: string } | null;
    },
    now: Date,
  ): Promise<boolean> {
    const info = await this.runner.run(
      `UPDATE cycle_previews SET status = ?, counts_json = ?, error_code = ?, error_message = ?, completed_at = ?
       WHERE id = ? AND worker_id = ? AND status = 'running'`,
      [
        outcome.status,
        JSON.stringify(outcome.counts),
        outcome.error?.code ?? null,
        outcome.error?.message ?? null,
        now.toISOString(),
        id,
        owner,
      ],
    );
    return info.changes === 1;
  }

  /** A page of the preview's objects in the order they were planned, optionally of one action or matching `search`. */
  async listObjects(
    previewId: string,
    query: {
      action?: PreviewAction | undefined;
      search?: string | undefined;
      top: number;
      cursor?: string | undefined;
    },
  ): Promise<Page<CyclePreviewObject>> {
    const after = Number(decodeCursor(query.cursor)?.[0] ?? -1);
    const where = ['preview_id = ?', 'seq > ?'];
    const params: (string | number)[] = [previewId, after];
    if (query.action) {
      where.push('action = ?');
      params.push(query.action);
    }
    if (query.search) {
      where.push(this.d.likeNocase('search_text'));
      params.push(containsPattern(query.search.toLowerCase()));
    }
    const rows = await this.runner.all<{ seq: number; object_json: string }>(
      `SELECT seq, object_json FROM cycle_preview_objects WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`,
      [...params, query.top + 1],
    );
    const page = rows.slice(0, query.top);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => JSON.parse(r.object_json) as CyclePreviewObject),
      nextCursor: rows.length > query.top && last ? encodeCursor([last.seq]) : null,
    };
  }

  /** How many of the preview's objects changed in the directory after change number `after`. */
  async countChangedObjects(previewId: string, after: number): Promise<number> {
    const r = await this.runner.get<{ n: number }>(
      // The changes since the preview are few next to its objects: walk them, look each object up.
      `SELECT COUNT(DISTINCT o.source_id) AS n FROM directory_changes c
       JOIN cycle_preview_objects o ON o.preview_id = ? AND o.source_id = c.object_id
       WHERE c.seq > ?`,
      [previewId, after],
    );
    return r!.n;
  }

  /** Marks the preview as run; false when it was already run. */
  async markRun(
    id: string,
    run: { at: string; by: { id: string; userName: string }; changed: number },
  ): Promise<boolean> {
    const info = await this.runner.run(
      `UPDATE cycle_previews SET run_at = ?, run_by_json = ?, run_changed = ?
       WHERE id = ? AND status = 'succeeded' AND run_at IS NULL`,
      [run.at, JSON.stringify(run.by), run.changed, id],
    );
    return info.changes === 1;
  }
}
