import { postgresDialect, sqliteDialect, type SqlDialect } from './dialect';
import type { SqlRunner } from './sql-runner';
import { decodeCursor, encodeCursor, insertNumbered, NotFoundError, valueRows, type Page } from './util';

export type BulkOperationKind = 'create' | 'update' | 'delete';
export type BulkOperationStatus =
  'notStarted' | 'validating' | 'running' | 'succeeded' | 'completedWithErrors' | 'failed';

export interface BulkOperationRecord {
  id: string;
  kind: BulkOperationKind;
  status: BulkOperationStatus;
  fileName: string;
  requestedBy: { id: string; userName: string };
  /** Data rows in the file (known once validation has read it all). */
  total: number;
  /** Rows validated so far. */
  validated: number;
  /** Rows whose outcome is known: applied, or rejected. */
  processed: number;
  succeeded: number;
  /** Rows rejected (by validation or when applied). */
  failed: number;
  error: { code: string; message: string } | null;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
}

/** One problem of a rejected row: its line in the file (the header is line 1), the column at fault. */
export interface BulkOperationResultRecord {
  line: number;
  column: string | null;
  code: string;
  reason: string;
  /** The row's userPrincipalName or id, as written. */
  key: string | null;
}

/** A directory user as bulk validation needs it: enough to tell it exists, is live, and its name. */
export interface BulkUserRef {
  id: string;
  userPrincipalName: string;
  deleted: boolean;
}

interface Row {
  id: string;
  kind: BulkOperationKind;
  status: BulkOperationStatus;
  file_name: string;
  requested_by_json: string;
  total: number;
  validated: number;
  processed: number;
  succeeded: number;
  failed: number;
  error_code: string | null;
  error_message: string | null;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
}

const toRecord = (r: Row): BulkOperationRecord => ({
  id: r.id,
  kind: r.kind,
  status: r.status,
  fileName: r.file_name,
  requestedBy: JSON.parse(r.requested_by_json) as BulkOperationRecord['requestedBy'],
  total: r.total,
  validated: r.validated,
  processed: r.processed,
  succeeded: r.succeeded,
  failed: r.failed,
  error: r.error_code ? { code: r.error_code, message: r.error_message ?? '' } : null,
  createdAt: r.created_at,
  startedAt: r.started_at,
  completedAt: r.completed_at,
});

interface UserRefRow {
  id: string;
  user_principal_name: string;
  deleted_at: string | null;
}
const toUserRef = (r: UserRefRow): BulkUserRef => ({
  id: r.id,
  userPrincipalName: r.user_principal_name,
  deleted: r.deleted_at !== null,
});

/** How many keys one lookup statement binds (SQLite allows far more; this keeps statements cached). */
const LOOKUP_CHUNK = 500;

/** The fields of an operation that move while it runs. */
export type BulkOperationProgress = Partial<
  Pick<
    BulkOperationRecord,
    'status' | 'total' | 'validated' | 'processed' | 'succeeded' | 'failed' | 'error'
  > & {
    startedAt: string;
    completedAt: string;
  }
>;

const progressColumns: Record<string, string> = {
  status: 'status',
  total: 'total',
  validated: 'validated',
  processed: 'processed',
  succeeded: 'succeeded',
  failed: 'failed',
  startedAt: 'started_at',
  completedAt: 'completed_at',
};

const INSERT_RESULTS = (rows: number) =>
  `INSERT INTO bulk_operation_results (operation_id, seq, line, column_name, code, reason, row_key) VALUES ${valueRows(rows, 7)}`;
const marks = (mark: string) => Array.from({ length: LOOKUP_CHUNK }, () => mark).join(',');
/** User principal names compare without regard to case (SQLite: the column is NOCASE). */
const usersByNames = ({ nocaseOperand }: SqlDialect) =>
  `SELECT id, user_principal_name, deleted_at FROM directory_users WHERE ${nocaseOperand('user_principal_name')} IN (${marks(nocaseOperand('?'))})`;
// Built once per dialect: repositories are built anew for every transaction.
const USERS_BY_NAMES = { sqlite: usersByNames(sqliteDialect), postgres: usersByNames(postgresDialect) };
const USERS_BY_IDS = `SELECT id, user_principal_name, deleted_at FROM directory_users WHERE id IN (${marks('?')})`;

/**
 * Bulk operations on directory users and their rejected rows; plus the lookups that validate a
 * batch of rows against the directory in one statement per 500 keys.
 */
export class BulkOperationsRepository {
  constructor(private readonly runner: SqlRunner) {}

  async insertOperation(input: {
    id: string;
    kind: BulkOperationKind;
    fileName: string;
    requestedBy: { id: string; userName: string };
    createdAt: string;
  }): Promise<BulkOperationRecord> {
    await this.runner.run(
      `INSERT INTO bulk_operations (id, kind, status, file_name, requested_by_json, created_at)
       VALUES (?, ?, 'notStarted', ?, ?, ?)`,
      [input.id, input.kind, input.fileName, JSON.stringify(input.requestedBy), input.createdAt],
    );
    return this.getOperation(input.id);
  }

  async findOperation(id: string): Promise<BulkOperationRecord | null> {
    const r = await this.runner.get<Row>('SELECT * FROM bulk_operations WHERE id = ?', [id]);
    return r ? toRecord(r) : null;
  }
  async getOperation(id: string): Promise<BulkOperationRecord> {
    const op = await this.findOperation(id);
    if (!op) throw new NotFoundError('bulk_operation', id);
    return op;
  }

  /** Past and running operations, newest first. */
  async listOperations(opts: {
    top: number;
    cursor?: string | undefined;
  }): Promise<Page<BulkOperationRecord>> {
    const cursor = decodeCursor(opts.cursor);
    const after = cursor && cursor.length === 2 ? 'WHERE (created_at, id) < (?, ?)' : '';
    const rows = await this.runner.all<Row>(
      `SELECT * FROM bulk_operations ${after} ORDER BY created_at DESC, id DESC LIMIT ?`,
      [...(after ? [String(cursor![0]), String(cursor![1])] : []), opts.top + 1],
    );
    const more = rows.length > opts.top;
    const items = rows.slice(0, opts.top).map(toRecord);
    const last = items[items.length - 1];
    return { items, nextCursor: more && last ? encodeCursor([last.createdAt, last.id]) : null };
  }

  async updateProgress(id: string, progress: BulkOperationProgress): Promise<void> {
    const sets: string[] = [];
    const params: unknown[] = [];
    for (const [key, value] of Object.entries(progress)) {
      if (key === 'error') {
        const error = value as BulkOperationRecord['error'];
        sets.push('error_code = ?', 'error_message = ?');
        params.push(error?.code ?? null, error?.message ?? null);
      } else if (progressColumns[key]) {
        sets.push(`${progressColumns[key]} = ?`);
        params.push(value);
      }
    }
    if (sets.length === 0) return;
    await this.runner.run(`UPDATE bulk_operations SET ${sets.join(', ')} WHERE id = ?`, [...params, id]);
  }

  /** Records problems of rejected rows; `firstSeq` numbers them on from the last one recorded. */
  async insertResults(
    operationId: string,
    firstSeq: number,
    results: readonly BulkOperationResultRecord[],
  ): Promise<void> {
    await insertNumbered(this.runner, INSERT_RESULTS, firstSeq, results, (r, seq) => [
      operationId,
      seq,
      r.line,
      r.column,
      r.code,
      r.reason,
      r.key,
    ]);
  }

  async listResults(
    operationId: string,
    opts: { top: number; cursor?: string | undefined },
  ): Promise<Page<BulkOperationResultRecord>> {
    const cursor = decodeCursor(opts.cursor);
    const after = cursor && cursor.length === 1 ? Number(cursor[0]) : -1;
    const rows = await this.runner.all<{
      seq: number;
      line: number;
      column_name: string | null;
      code: string;
      reason: string;
      row_key: string | null;
    }>(
      `SELECT seq, line, column_name, code, reason, row_key FROM bulk_operation_results
       WHERE operation_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
      [operationId, after, opts.top + 1],
    );
    const more = rows.length > opts.top;
    const page = rows.slice(0, opts.top);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        line: r.line,
        column: r.column_name,
        code: r.code,
        reason: r.reason,
        key: r.row_key,
      })),
      nextCursor: more && last ? encodeCursor([last.seq]) : null,
    };
  }

  /**
   * Operations a stopped process left unfinished: they will not go on, so they fail with the
   * reason (the rows applied before the stop stay applied).
   */
  async failUnfinished(error: { code: string; message: string }, completedAt: string): Promise<number> {
    return (
      await this.runner.run(
        `UPDATE bulk_operations SET status = 'failed', error_code = ?, error_message = ?, completed_at = ?
         WHERE status IN ('notStarted', 'validating', 'running')`,
        [error.code, error.message, completedAt],
      )
    ).changes;
  }

  /** Directory users (live or in the recycle bin) by user principal name, case-insensitively. */
  findUsersByPrincipalNames(names: readonly string[]): Promise<BulkUserRef[]> {
    return this.lookup(USERS_BY_NAMES[this.runner.dialect], names);
  }

  /** Directory users (live or in the recycle bin) by id. */
  findUsersByIds(ids: readonly string[]): Promise<BulkUserRef[]> {
    return this.lookup(USERS_BY_IDS, ids);
  }

  private async lookup(sql: string, keys: readonly string[]): Promise<BulkUserRef[]> {
    const out: BulkUserRef[] = [];
    for (let i = 0; i < keys.length; i += LOOKUP_CHUNK) {
      const chunk = keys.slice(i, i + LOOKUP_CHUNK);
      // A full statement binds every parameter: the unused ones are null, which matches nothing.
      const params = [...chunk, ...Array.from({ length: LOOKUP_CHUNK - chunk.length }, () => null)];
      out.push(...(await this.runner.all<UserRefRow>(sql, params)).map(toUserRef));
    }
    return out;
  }
}
