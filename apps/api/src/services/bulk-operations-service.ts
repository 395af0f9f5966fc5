import { createReadStream, createWriteStream, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import {
  BULK_OPERATION_MAX_BYTES,
  BULK_OPERATION_MAX_ROWS,
  type BulkOperation,
  type BulkOperationKind,
  type BulkOperationResult,
  type UserCreate,
  type UserUpdate,
} from '@provisio/contracts';
import type {
  BulkOperationRecord,
  BulkOperationResultRecord,
  BulkUserRef,
  Page,
  ProvisioDb,
} from '@provisio/db';
import { parse, type CsvError } from 'csv-parse';
import { AppError } from '../errors';
import { recordAudit } from './audit';
import { parseHeader, parseRow, type ParsedRow } from './bulk-rows';
import type { RequestContext, ServiceDeps } from './context';
import type { PageRequest } from './paging';
import { writeTransaction } from './transaction';

/** Rows validated, or applied, per transaction; the event loop runs between two batches. */
export const BULK_BATCH_ROWS = 500;

export interface BulkOperationsOptions {
  /** Where uploaded files wait while their operation runs (removed when it ends). */
  spoolDir: string;
  batchRows?: number;
}

const ACTIVITY: Record<
  BulkOperationKind,
  { activity: string; operationType: 'Add' | 'Update' | 'Delete'; done: string }
> = {
  create: { activity: 'Bulk create users', operationType: 'Add', done: 'Created' },
  update: { activity: 'Bulk update users', operationType: 'Update', done: 'Updated' },
  delete: { activity: 'Bulk delete users', operationType: 'Delete', done: 'Deleted' },
};

export const toBulkOperation = (r: BulkOperationRecord): BulkOperation => ({
  id: r.id,
  kind: r.kind,
  status: r.status,
  fileName: r.fileName,
  requestedBy: r.requestedBy,
  total: r.total,
  validated: r.validated,
  processed: r.processed,
  succeeded: r.succeeded,
  failed: r.failed,
  error: r.error,
  createdDateTime: r.createdAt,
  startedDateTime: r.startedAt,
  completedDateTime: r.completedAt,
});

/** What one run knows as it goes: its counts and the lines validation rejected. */
interface RunState {
  op: BulkOperationRecord;
  ctx: RequestContext;
  file: string;
  columns: string[];
  delimiter: string;
  rejected: Set<number>;
  nextSeq: number;
  total: number;
  succeeded: number;
  failed: number;
}

/**
 * Bulk create, update and delete of directory users from a CSV file, in the API process: the
 * upload is written to a spool file, then a background run validates every row (streaming, one
 * batch of rows per transaction, yielding to the event loop between batches) and applies the
 * valid ones the same way. Runs go one at a time, in order. See docs/decisions/0004-bulk-operations.md.
 */
export class BulkOperationsService {
  private queue: Promise<void> = Promise.resolve();
  private stopping = false;
  private readonly batchRows: number;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly options: BulkOperationsOptions,
  ) {
    this.batchRows = options.batchRows ?? BULK_BATCH_ROWS;
  }

  /**
   * Called once before the service is used: a run lives in this process only, so what a previous
   * process left unfinished cannot go on. Marks those operations failed and removes their files.
   */
  async failInterrupted(): Promise<void> {
    const { db, now } = this.deps;
    await db.bulkOperations.failUnfinished(
      {
        code: 'bulk_operation.interrupted',
        message:
          'Provisio stopped before this bulk operation finished. The rows applied before it stopped stay applied; upload the file again to apply the rest (a bulk create reports the users it already created as taken).',
      },
      now().toISOString(),
    );
    const { spoolDir } = this.options;
    mkdirSync(spoolDir, { recursive: true });
    for (const name of readdirSync(spoolDir)) {
      if (/^bulk-.*\.csv$/.test(name)) rmSync(join(spoolDir, name), { force: true });
    }
  }

  async list(page: PageRequest): Promise<Page<BulkOperation>> {
    const result = await this.deps.db.bulkOperations.listOperations(page);
    return { items: result.items.map(toBulkOperation), nextCursor: result.nextCursor };
  }

  async get(id: string): Promise<BulkOperation> {
    return toBulkOperation(await this.find(id));
  }

  async results(id: string, page: PageRequest): Promise<Page<BulkOperationResult>> {
    await this.find(id);
    return this.deps.db.bulkOperations.listResults(id, page);
  }

  /**
   * Takes the file, checks its header and queues the run; answers at once with the operation
   * (`notStarted`), whose counts then move as `GET …/bulkOperations/{id}` shows.
   */
  async start(
    ctx: RequestContext,
    input: { kind: BulkOperationKind; fileName: string; body: Readable },
  ): Promise<BulkOperation> {
    const id = randomUUID();
    const file = join(this.options.spoolDir, `bulk-${id}.csv`);
    try {
      await spool(input.body, file);
      const { columns, delimiter } = await this.readHeader(input.kind, file);
      const op = await this.deps.db.bulkOperations.insertOperation({
        id,
        kind: input.kind,
        fileName: input.fileName,
        requestedBy: { id: ctx.actor.id, userName: ctx.actor.userName },
        createdAt: this.deps.now().toISOString(),
      });
      const state: RunState = {
        op,
        ctx,
        file,
        columns,
        delimiter,
        rejected: new Set(),
        nextSeq: 0,
        total: 0,
        succeeded: 0,
        failed: 0,
      };
      this.queue = this.queue.then(() => this.run(state));
      return toBulkOperation(op);
    } catch (error) {
      rmSync(file, { force: true });
      throw error;
    }
  }

  /** Lets the running operation finish its batch and stop; queued ones are left to fail at the next start. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.queue;
  }

  private async find(id: string): Promise<BulkOperationRecord> {
    const op = await this.deps.db.bulkOperations.findOperation(id);
    if (!op)
      throw new AppError('bulk_operation.not_found', 404, `There is no bulk operation with id '${id}'.`);
    return op;
  }

  private async readHeader(kind: BulkOperationKind, file: string) {
    let first: string[] | undefined;
    let delimiter = ',';
    for await (const record of createReadStream(file).pipe(
      parse({ bom: true, to_line: 1, relax_column_count: true }),
    )) {
      first = record as string[];
    }
    if (first && first.length === 1 && (first[0] ?? '').includes(';')) {
      // Spreadsheets in many locales save CSV with semicolons.
      delimiter = ';';
      first = (first[0] ?? '').split(';');
    }
    if (!first || first.every((c) => c.trim() === '')) {
      throw new AppError(
        'bulk_operation.empty_file',
        400,
        'The file is empty: start from the template, with its header row.',
      );
    }
    const header = parseHeader(kind, first);
    if (header.problems.length > 0) {
      throw new AppError(
        'bulk_operation.invalid_header',
        400,
        header.problems.map((p) => p.message).join(' '),
        header.problems.map((p) => ({
          code: 'bulk_operation.invalid_header',
          message: p.message,
          target: p.column ?? '',
        })),
      );
    }
    return { columns: header.columns, delimiter };
  }

  /** Parses the spool file's data rows with their line numbers, a batch at a time. */
  private async *batches(state: RunState): AsyncGenerator<{ line: number; cells: string[] }[]> {
    const parser = createReadStream(state.file).pipe(
      parse({
        bom: true,
        from_line: 2,
        relax_column_count: true,
        skip_empty_lines: true,
        info: true,
        delimiter: state.delimiter,
      }),
    );
    let batch: { line: number; cells: string[] }[] = [];
    for await (const item of parser) {
      const { record, info } = item as { record: string[]; info: { lines: number } };
      if (record.every((c) => c.trim() === '')) continue;
      batch.push({ line: info.lines, cells: record });
      if (batch.length >= this.batchRows) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  private async run(state: RunState): Promise<void> {
    const { db, now } = this.deps;
    try {
      if (this.stopping) return;
      await db.bulkOperations.updateProgress(state.op.id, {
        status: 'validating',
        startedAt: now().toISOString(),
      });
      const ok = await this.validateAll(state);
      if (!ok || this.stopping) return;
      await db.bulkOperations.updateProgress(state.op.id, {
        status: 'running',
        total: state.total,
        validated: state.total,
      });
      for await (const batch of this.batches(state)) {
        if (this.stopping) return;
        const rows = batch.filter((r) => !state.rejected.has(r.line));
        await writeTransaction(db, async (tx) => {
          await this.applyBatch(
            tx,
            state,
            rows.map((r) => parseRow(state.op.kind, state.columns, r.cells, r.line)),
          );
          await tx.bulkOperations.updateProgress(state.op.id, {
            processed: state.succeeded + state.failed,
            succeeded: state.succeeded,
            failed: state.failed,
          });
        });
        await yieldToEventLoop();
      }
      await this.finish(state, null);
    } catch (error) {
      await this.finish(state, describeFailure(error));
    } finally {
      rmSync(state.file, { force: true });
    }
  }

  /** Validates every row; false when the file cannot be read or is too long (the operation failed). */
  private async validateAll(state: RunState): Promise<boolean> {
    const seen = new Map<string, number>();
    const newNames = new Map<string, number>();
    for await (const batch of this.batches(state)) {
      if (this.stopping) return false;
      state.total += batch.length;
      if (state.total > BULK_OPERATION_MAX_ROWS) {
        await this.finish(state, {
          code: 'bulk_operation.too_many_rows',
          message: `The file has more than ${BULK_OPERATION_MAX_ROWS.toLocaleString('en-US')} rows: split it into several files.`,
        });
        return false;
      }
      const rows = batch.map((r) => parseRow(state.op.kind, state.columns, r.cells, r.line));
      for (const row of rows) checkDuplicates(state.op.kind, row, seen, newNames);
      await this.checkAgainstDirectory(this.deps.db, state.op.kind, rows);
      const problems = rows.flatMap((r) => r.problems);
      for (const row of rows) if (row.problems.length > 0) state.rejected.add(row.line);
      state.failed = state.rejected.size;
      await writeTransaction(this.deps.db, async (tx) => {
        await tx.bulkOperations.insertResults(state.op.id, state.nextSeq, problems);
        await tx.bulkOperations.updateProgress(state.op.id, {
          validated: state.total,
          failed: state.failed,
          processed: state.failed,
        });
      });
      state.nextSeq += problems.length;
      await yieldToEventLoop();
    }
    return true;
  }

  /** The checks that need the directory, one lookup per batch: names taken, users and managers that exist. */
  private async checkAgainstDirectory(
    db: ProvisioDb,
    kind: BulkOperationKind,
    rows: ParsedRow[],
  ): Promise<DirectoryLookup> {
    const valid = rows.filter((r) => r.problems.length === 0);
    const lookup = await this.lookup(db, valid);
    for (const row of valid) {
      if (kind === 'create') {
        const body = row.body as UserCreate;
        const taken = lookup.byName.get(body.userPrincipalName.toLowerCase());
        if (taken)
          reject(row, 'userPrincipalName', 'user.conflict', takenReason(body.userPrincipalName, taken));
        checkManager(row, body.managerId, null, lookup);
        continue;
      }
      const user = targetOf(row, lookup);
      if (!user) {
        reject(
          row,
          row.target && 'id' in row.target ? 'id' : 'userPrincipalName',
          'user.not_found',
          `There is no user ${row.key ?? ''} in the directory: check the ${row.target && 'id' in row.target ? 'id' : 'userPrincipalName'}.`,
        );
        continue;
      }
      if (user.deleted) {
        reject(
          row,
          null,
          'user.not_found',
          `The user ${user.userPrincipalName} is in the recycle bin: restore it first.`,
        );
        continue;
      }
      if (kind === 'update') {
        const body = row.body as UserUpdate;
        const rename = body.userPrincipalName;
        if (rename && rename.toLowerCase() !== user.userPrincipalName.toLowerCase()) {
          const taken = lookup.byName.get(rename.toLowerCase());
          if (taken) reject(row, 'userPrincipalName', 'user.conflict', takenReason(rename, taken));
        }
        checkManager(row, body.managerId, user.id, lookup);
      }
    }
    return lookup;
  }

  private async lookup(db: ProvisioDb, rows: ParsedRow[]): Promise<DirectoryLookup> {
    const names = new Set<string>();
    const ids = new Set<string>();
    for (const row of rows) {
      if (row.target && 'id' in row.target) ids.add(row.target.id);
      if (row.target && 'userPrincipalName' in row.target) names.add(row.target.userPrincipalName);
      const body = row.body as UserUpdate | null;
      if (body?.userPrincipalName) names.add(body.userPrincipalName);
      if (body?.managerId) ids.add(body.managerId);
    }
    const byName = await db.bulkOperations.findUsersByPrincipalNames([...names]);
    const byId = await db.bulkOperations.findUsersByIds([...ids]);
    return {
      byName: new Map(byName.map((u) => [u.userPrincipalName.toLowerCase(), u])),
      byId: new Map(byId.map((u) => [u.id, u])),
    };
  }

  /**
   * Applies one batch inside the caller's transaction. The directory may have changed since
   * validation (another administrator, another operation): each row is checked again first, and a
   * row that no longer holds is rejected; one that does is applied whole.
   */
  private async applyBatch(tx: ProvisioDb, state: RunState, rows: ParsedRow[]): Promise<void> {
    const kind = state.op.kind;
    const lookup = await this.checkAgainstDirectory(tx, kind, rows);
    const problems: BulkOperationResultRecord[] = [];
    // New users are added together: a few statements per batch, not several per row.
    const creates: UserCreate[] = [];
    for (const row of rows) {
      if (row.problems.length > 0) {
        problems.push(...row.problems);
        state.failed += 1;
        continue;
      }
      if (kind === 'create') creates.push(row.body as UserCreate);
      else {
        const user = targetOf(row, lookup);
        if (!user) throw new Error(`bulk ${kind}: line ${row.line} lost its user after the check`);
        if (kind === 'update') await tx.directory.updateUser(user.id, row.body as UserUpdate);
        else await tx.directory.softDeleteUser(user.id);
      }
      state.succeeded += 1;
    }
    if (creates.length > 0) await tx.directory.insertUsers(creates);
    await tx.bulkOperations.insertResults(state.op.id, state.nextSeq, problems);
    state.nextSeq += problems.length;
  }

  /** The final counts and status, with the operation's one audit event, in one transaction. */
  private async finish(state: RunState, error: { code: string; message: string } | null): Promise<void> {
    const { db, now } = this.deps;
    const { kind } = state.op;
    const status = error ? 'failed' : state.failed > 0 ? 'completedWithErrors' : 'succeeded';
    const what = ACTIVITY[kind];
    await writeTransaction(db, async (tx) => {
      await tx.bulkOperations.updateProgress(state.op.id, {
        status,
        total: state.total,
        processed: state.succeeded + state.failed,
        succeeded: state.succeeded,
        failed: state.failed,
        error,
        completedAt: now().toISOString(),
      });
      await recordAudit(tx, state.ctx, now(), {
        category: 'UserManagement',
        activity: what.activity,
        operationType: what.operationType,
        targets: [{ id: state.op.id, displayName: state.op.fileName, type: 'BulkOperation' }],
        resultReason: error
          ? `${error.message} ${what.done} ${state.succeeded} user(s) before it stopped.`
          : `${what.done} ${state.succeeded} user(s); ${state.failed} row(s) rejected.`,
        additionalDetails: {
          BulkOperationId: state.op.id,
          Status: status,
          Total: String(state.total),
          Succeeded: String(state.succeeded),
          Failed: String(state.failed),
        },
      });
    });
  }
}

interface DirectoryLookup {
  byName: Map<string, BulkUserRef>;
  byId: Map<string, BulkUserRef>;
}

function reject(row: ParsedRow, column: string | null, code: string, reason: string): void {
  row.problems.push({ line: row.line, column, code, reason, key: row.key });
}

const takenReason = (name: string, taken: BulkUserRef) =>
  `The user principal name ${name} is already taken${taken.deleted ? ' by a user in the recycle bin' : ''}. Choose another one.`;

function targetOf(row: ParsedRow, lookup: DirectoryLookup): BulkUserRef | undefined {
  if (!row.target) return undefined;
  return 'id' in row.target
    ? lookup.byId.get(row.target.id)
    : lookup.byName.get(row.target.userPrincipalName.toLowerCase());
}

function checkManager(
  row: ParsedRow,
  managerId: string | null | undefined,
  selfId: string | null,
  lookup: DirectoryLookup,
) {
  if (!managerId) return;
  if (managerId === selfId) {
    reject(row, 'managerId', 'request.invalid', 'managerId: a user cannot be their own manager.');
    return;
  }
  const manager = lookup.byId.get(managerId);
  if (!manager || manager.deleted) {
    reject(
      row,
      'managerId',
      'request.invalid',
      `managerId: there is no user with id '${managerId}'. Use the id of a user in the directory.`,
    );
  }
}

/**
 * Rows of the same file that name the same user, or the same new user principal name: the first
 * one counts, the later ones are rejected naming the line of the first.
 */
function checkDuplicates(
  kind: BulkOperationKind,
  row: ParsedRow,
  seen: Map<string, number>,
  newNames: Map<string, number>,
): void {
  if (row.problems.length > 0) return;
  const target =
    row.target &&
    ('id' in row.target ? `id:${row.target.id}` : `upn:${row.target.userPrincipalName.toLowerCase()}`);
  const name = (row.body as UserUpdate | null)?.userPrincipalName?.toLowerCase();
  if (kind !== 'create' && target) {
    const first = seen.get(target);
    if (first !== undefined) {
      reject(
        row,
        null,
        'bulk_operation.duplicate_row',
        `Line ${first} already names this user: keep one row per user.`,
      );
      return;
    }
    seen.set(target, row.line);
  }
  if (name && kind !== 'delete') {
    const first = newNames.get(name);
    if (first !== undefined) {
      reject(
        row,
        'userPrincipalName',
        'bulk_operation.duplicate_row',
        `Line ${first} already uses the user principal name ${name}: each user needs its own.`,
      );
      return;
    }
    newNames.set(name, row.line);
  }
}

/** The operation's error for what stopped it: a file that is not CSV, or an unexpected failure. */
function describeFailure(error: unknown): { code: string; message: string } {
  const csv = error as Partial<CsvError>;
  if (typeof csv.code === 'string' && csv.code.startsWith('CSV_')) {
    return {
      code: 'bulk_operation.invalid_file',
      message: `The file is not valid CSV: ${csv.message ?? csv.code}. Save it as CSV (comma-separated values) and upload it again.`,
    };
  }
  return {
    code: 'bulk_operation.failed',
    message: `The bulk operation stopped on an unexpected error: ${error instanceof Error ? error.message : String(error)}.`,
  };
}

/** Writes an upload to a file, refusing one larger than the limit. */
async function spool(body: Readable, file: string): Promise<void> {
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > BULK_OPERATION_MAX_BYTES) {
        callback(
          new AppError(
            'bulk_operation.file_too_large',
            413,
            `The file is larger than ${BULK_OPERATION_MAX_BYTES / 1024 / 1024} MB: split it into several files.`,
          ),
        );
      } else callback(null, chunk);
    },
  });
  await pipeline(body, limit, createWriteStream(file));
}
