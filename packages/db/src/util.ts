import { randomUUID } from 'node:crypto';
import type { SqlRunner } from './sql-runner';

export const newId = (): string => randomUUID();
export const nowIso = (): string => new Date().toISOString();

/** Opaque keyset cursor: the sort key values of the last row of a page. */
export function encodeCursor(values: (string | number)[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}
export function decodeCursor(token: string | undefined): (string | number)[] | null {
  if (!token) return null;
  try {
    const v: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    return Array.isArray(v) ? (v as (string | number)[]) : null;
  } catch {
    return null;
  }
}

/** `text` with LIKE's wildcards (and the escape character) escaped by `\\`. */
const likeEscaped = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);
/** A `LIKE … ESCAPE '\\'` pattern matching `text` anywhere, with LIKE's wildcards in it taken literally. */
export const containsPattern = (text: string): string => `%${likeEscaped(text)}%`;
/** The LIKE pattern of texts that begin with `text`, `\\` escaping its wildcards. */
export const prefixPattern = (text: string): string => `${likeEscaped(text)}%`;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  /** How many items all the pages hold, when the caller asked (OData's `$count=true`). */
  count?: number;
}

/** Thrown by `getX` repository functions when the row does not exist. */
export class NotFoundError extends Error {
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} '${id}' does not exist.`);
  }
}

/**
 * Rows per statement of the bulk writes: 500 rows of 14 values are 7,000 parameters, within both
 * dialects' limits (SQLite's 32,766, PostgreSQL's 65,535).
 */
export const BULK_ROWS = 500;

/**
 * `items` in runs of at most `BULK_ROWS`, each with the index of its first item: a bulk write's
 * statements. A statement per row costs a round trip each on PostgreSQL.
 */
export function* bulkChunks<T>(items: readonly T[]): Generator<{ from: number; chunk: T[] }> {
  for (let from = 0; from < items.length; from += BULK_ROWS)
    yield { from, chunk: items.slice(from, from + BULK_ROWS) };
}

/**
 * Inserts `items` numbered on from `firstSeq`, all or none: `insert(n)` is the INSERT of `n` rows,
 * `row(item, seq)` one row's values.
 */
export async function insertNumbered<T>(
  runner: SqlRunner,
  insert: (rows: number) => string,
  firstSeq: number,
  items: readonly T[],
  row: (item: T, seq: number) => unknown[],
): Promise<void> {
  if (items.length === 0) return;
  await runner.transaction(async (tx) => {
    for (const { from, chunk } of bulkChunks(items))
      await tx.run(
        insert(chunk.length),
        chunk.flatMap((item, k) => row(item, firstSeq + from + k)),
      );
  });
}

/** `(?, ?), (?, ?)` for `rows` rows of `columns` values. */
export function valueRows(rows: number, columns: number): string {
  const row = `(${Array.from({ length: columns }, () => '?').join(', ')})`;
  return Array.from({ length: rows }, () => row).join(', ');
}
