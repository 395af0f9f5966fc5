import type { Dialect } from './database';
import type { SqlRunner } from './sql-runner';
import { containsPattern, prefixPattern } from './util';

/**
 * The SQL fragments where SQLite and PostgreSQL differ (decision 0010). A repository writes its SQL
 * in the subset both accept and asks for these where they part; each is covered by the tests of
 * both dialects.
 */
export interface SqlDialect {
  readonly name: Dialect;
  /**
   * A text column compared and ordered without regard to ASCII case: SQLite's NOCASE collation
   * (which its indexes are built with), `lower(column)` on PostgreSQL (whose indexes are on that).
   */
  nocase(column: string): string;
  /**
   * The other operand of a comparison that SQLite already makes without regard to case — a column
   * declared NOCASE, or a value compared with a `nocase(…)` or `? COLLATE NOCASE` operand — so that
   * SQLite's text (and the index it picks) stays as it is: unchanged on SQLite, `lower(…)` on
   * PostgreSQL. `col = ? COLLATE NOCASE` is written `${nocaseOperand('col')} = ${nocase('?')}`, a
   * keyset `(${nocase('col')}, id) > (${nocaseOperand('?')}, ?)`.
   */
  nocaseOperand(operand: string): string;
  /** `column LIKE ?` without regard to ASCII case, `\` escaping the wildcards (see `containsPattern`). */
  likeNocase(column: string): string;
  /**
   * The provisioning log's Identity search, without regard to ASCII case: one of two name columns
   * contains the text, or one of two id columns begins with it. `params` are the parameters of
   * `sql`, in order. SQLite tests each column (read from its covering time indexes). PostgreSQL
   * first asks a trigram index of the names and the ids' first characters for the rows holding the
   * text's first characters, then tests those rows exactly (migration postgres/0003). Ids are matched
   * from their start: a trigram index of whole random ids cost every event's write more than all its
   * other indexes together.
   */
  identitySearch(
    names: readonly [string, string],
    ids: readonly [string, string],
    text: string,
  ): { sql: string; params: string[] };
  /** The column that orders a table's rows by insertion: SQLite's rowid, PostgreSQL's `seq` identity. */
  readonly insertionOrder: string;
  /** The text at the top-level key `key` of a column holding JSON text (null when absent). */
  jsonText(column: string, key: string): string;
  /**
   * `expression`, marked so that SQLite's planner does not pick an index for it (unary +) where it
   * would pick a worse one; PostgreSQL's planner weighs the choice itself (the expression as it is).
   */
  withoutIndex(expression: string): string;
  /** Appended to a read whose rows the same transaction will write: locks them on PostgreSQL. */
  readonly forUpdate: string;
  /** Appended to a claim's read: rows another transaction holds are passed over, not waited for. */
  readonly forUpdateSkipLocked: string;
}

/** A column name (possibly table-qualified), or a placeholder. */
const identifier = /^([a-z_][a-z0-9_.]*|\?)$/;
const key = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Fragments are built from names in the code, never from input: a name that is not one is a defect. */
function checked(name: string, pattern: RegExp): string {
  if (!pattern.test(name)) throw new Error(`Not a plain SQL name: ${JSON.stringify(name)}`);
  return name;
}

/** `likeNocase` of each dialect: the Identity search tests its columns with it too. */
const sqliteLike = (column: string) => `${checked(column, identifier)} LIKE ? ESCAPE '\\'`;
const postgresLike = (column: string) => `${checked(column, identifier)} ILIKE ? ESCAPE '\\'`;

export const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  nocase: (column) => `${checked(column, identifier)} COLLATE NOCASE`,
  nocaseOperand: (operand) => checked(operand, identifier),
  likeNocase: sqliteLike,
  identitySearch: (names, ids, text) => {
    const [anywhere, atStart] = [containsPattern(text), prefixPattern(text)];
    return {
      sql: `(${[...names, ...ids].map(sqliteLike).join(' OR ')})`,
      params: [...names.map(() => anywhere), ...ids.map(() => atStart)],
    };
  },
  insertionOrder: 'rowid',
  jsonText: (column, k) => `json_extract(${checked(column, identifier)}, '$.${checked(k, key)}')`,
  withoutIndex: (expression) => `+${expression}`,
  forUpdate: '',
  forUpdateSkipLocked: '',
};

/**
 * How many leading characters of each id PostgreSQL's identity index holds (migration postgres/0003).
 * The index answers "the indexed text contains the search text's first this many characters", which
 * every match satisfies; the exact test then runs on the rows it finds.
 */
const ID_CHARS_INDEXED = 8;

export const postgresDialect: SqlDialect = {
  name: 'postgres',
  nocase: (column) => `lower(${checked(column, identifier)})`,
  nocaseOperand: (operand) => `lower(${checked(operand, identifier)})`,
  likeNocase: postgresLike,
  identitySearch: (names, ids, text) => {
    const [sourceName, targetName] = names.map((c) => checked(c, identifier));
    const [sourceId, targetId] = ids.map((c) => checked(c, identifier));
    const atStart = prefixPattern(text);
    const indexed = `${sourceName} || chr(31) || ${targetName} || chr(31) || left(${sourceId}, ${ID_CHARS_INDEXED}) || chr(31) || left(${targetId}, ${ID_CHARS_INDEXED})`;
    return {
      sql: `((${indexed}) ILIKE ? ESCAPE '\\' AND ((${sourceName} || chr(31) || ${targetName}) ILIKE ? ESCAPE '\\' OR ${ids.map(postgresLike).join(' OR ')}))`,
      params: [
        containsPattern([...text].slice(0, ID_CHARS_INDEXED).join('')),
        containsPattern(text),
        ...ids.map(() => atStart),
      ],
    };
  },
  insertionOrder: 'seq',
  jsonText: (column, k) => `((${checked(column, identifier)})::jsonb ->> '${checked(k, key)}')`,
  withoutIndex: (expression) => expression,
  forUpdate: ' FOR UPDATE',
  forUpdateSkipLocked: ' FOR UPDATE SKIP LOCKED',
};

export const dialectOf = (name: Dialect): SqlDialect => (name === 'sqlite' ? sqliteDialect : postgresDialect);

/** Any constant: the advisory lock that numbers directory changes in commit order (decision 0010). */
export const DIRECTORY_CHANGES_LOCK = 7_151_943;

/**
 * Runs `fn` in a transaction (a savepoint inside the caller's) that may record directory changes.
 * On PostgreSQL it first takes the directory's transaction-level advisory lock, held to the
 * outermost commit: two transactions that record changes follow one another, so change numbers are
 * handed out in commit order and an incremental cycle's watermark never passes a change that is not
 * committed yet. The group membership triggers read the latest number, so a transaction that
 * changes `group_members` (or deletes a user or group, which cascades there) takes it too. SQLite
 * has one writer at a time: nothing more to take.
 */
export function directoryTransaction<T>(runner: SqlRunner, fn: (tx: SqlRunner) => Promise<T>): Promise<T> {
  return runner.transaction(async (tx) => {
    if (tx.dialect === 'postgres') await tx.get(`SELECT pg_advisory_xact_lock(${DIRECTORY_CHANGES_LOCK})`);
    return fn(tx);
  });
}
