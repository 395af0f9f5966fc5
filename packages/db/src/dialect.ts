import type { Dialect } from './database';

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
  /** `column LIKE ?` without regard to ASCII case, `\` escaping the wildcards (see `containsPattern`). */
  likeNocase(column: string): string;
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

export const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  nocase: (column) => `${checked(column, identifier)} COLLATE NOCASE`,
  likeNocase: (column) => `${checked(column, identifier)} LIKE ? ESCAPE '\\'`,
  insertionOrder: 'rowid',
  jsonText: (column, k) => `json_extract(${checked(column, identifier)}, '$.${checked(k, key)}')`,
  withoutIndex: (expression) => `+${expression}`,
  forUpdate: '',
  forUpdateSkipLocked: '',
};

export const postgresDialect: SqlDialect = {
  name: 'postgres',
  nocase: (column) => `lower(${checked(column, identifier)})`,
  likeNocase: (column) => `${checked(column, identifier)} ILIKE ? ESCAPE '\\'`,
  insertionOrder: 'seq',
  jsonText: (column, k) => `((${checked(column, identifier)})::jsonb ->> '${checked(k, key)}')`,
  withoutIndex: (expression) => expression,
  forUpdate: ' FOR UPDATE',
  forUpdateSkipLocked: ' FOR UPDATE SKIP LOCKED',
};

export const dialectOf = (name: Dialect): SqlDialect => (name === 'sqlite' ? sqliteDialect : postgresDialect);
