import { AsyncLocalStorage } from 'node:async_hooks';
import type Database from 'better-sqlite3';
import type { Dialect } from './database';

/** A statement's parameters: positional, one per `?` of its SQL. */
export type SqlParams = readonly unknown[];

/**
 * How repositories reach the database, whatever its dialect (decision 0010): SQL in the subset
 * both dialects accept, with `?` placeholders, and transactions that hand out a runner bound to
 * them. Every call is asynchronous; on SQLite the statement runs synchronously under the promise.
 */
export interface SqlRunner {
  readonly dialect: Dialect;
  /** Every row of a query. */
  all<T>(sql: string, params?: SqlParams): Promise<T[]>;
  /** The first row of a query, or undefined. */
  get<T>(sql: string, params?: SqlParams): Promise<T | undefined>;
  /** A statement that returns no rows: how many rows it changed. */
  run(sql: string, params?: SqlParams): Promise<{ changes: number }>;
  /**
   * Runs `fn` in one transaction (a savepoint when called on a transaction's runner) and commits
   * when it resolves, rolls back when it rejects. `fn` awaits only its runner's statements: no
   * HTTP, no timers, so locks are held briefly.
   */
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
  /**
   * Runs `fn`'s reads against one state of the database, taking no lock that would hold a writer
   * back: what a figure made of several reads needs to add up while the worker writes. `fn` only
   * reads. On a transaction's runner, `fn` reads inside that transaction.
   */
  snapshot<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
}

/** A unique or primary key was violated: the row exists already. */
export class DbConflictError extends Error {
  override readonly name = 'DbConflictError';
  constructor(
    /** The table, and the columns of the key (without `lower(…)`), as far as the database says. */
    readonly table: string,
    readonly columns: string[],
    options: { cause: unknown },
  ) {
    super(
      `A row of ${table || 'a table'} with the same ${columns.join(', ') || 'key'} exists already.`,
      options,
    );
  }
}

/** A row refers to one that does not exist (or is still referred to). */
export class DbReferenceError extends Error {
  override readonly name = 'DbReferenceError';
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
  }
}

/**
 * Another connection kept the database locked for longer than the busy timeout (SQLite: a writer
 * of another process, or a long transaction). Nothing was written: the same work can be tried again.
 */
export class DbBusyError extends Error {
  override readonly name = 'DbBusyError';
  constructor(options: { cause: unknown }) {
    super('The database stayed locked by another connection for longer than the busy timeout.', options);
  }
}

/** better-sqlite3's constraint and busy errors as the domain errors above; anything else as it is. */
export function translateSqliteError(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  // SQLITE_BUSY, and its extended codes (SQLITE_BUSY_SNAPSHOT, …).
  if (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) return new DbBusyError({ cause: error });
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    // "UNIQUE constraint failed: directory_users.user_principal_name"; an index on an expression says "index '…'".
    const message = (error as Error).message;
    const columns = /constraint failed: ([\w., ]+)/.exec(message)?.[1] ?? '';
    const pairs = columns.split(',').map((c) => c.trim().split('.'));
    return new DbConflictError(
      pairs[0]?.length === 2 ? (pairs[0][0] ?? '') : '',
      pairs.filter((p) => p.length === 2).map((p) => p[1] ?? ''),
      { cause: error },
    );
  }
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY')
    return new DbReferenceError('A row refers to one that does not exist.', { cause: error });
  return error;
}

/** How many prepared statements the SQLite runner keeps, by SQL text. */
const MAX_CACHED_STATEMENTS = 2000;

/**
 * The SQLite runner: one better-sqlite3 connection, statements prepared once per SQL text. An open
 * transaction holds the connection: a statement or transaction from elsewhere in the process waits
 * for it rather than running inside it. Write transactions are IMMEDIATE, so another process's
 * writer waits its turn (busy timeout) instead of failing.
 *
 * With `checkNesting` (on where PROVISIO_CHECK_TRANSACTIONS=1, as in the test runs), a statement
 * that code inside a transaction sends to this runner instead of the transaction's is refused,
 * where it would wait for its own transaction for ever. The check follows each transaction through
 * its awaits with an AsyncLocalStorage, which in Node 20 hooks every promise of the process: the
 * worker spent about 10% more CPU per object of a cycle, and the API answered the log queries up to
 * a quarter slower. The shipped processes leave it off; the tests run every path with it on.
 */
export class SqliteRunner implements SqlRunner {
  readonly dialect = 'sqlite' as const;
  private readonly statements = new Map<string, Database.Statement>();
  /** Settles when the open transaction ends; null while none is open. */
  private held: Promise<void> | null = null;
  /** The transaction the running code is inside, to catch a call that would wait for itself. */
  private readonly inside: AsyncLocalStorage<object> | null;
  private openTx: object | null = null;

  constructor(
    readonly sqlite: Database.Database,
    options: { checkNesting?: boolean } = {},
  ) {
    const check = options.checkNesting ?? process.env.PROVISIO_CHECK_TRANSACTIONS === '1';
    this.inside = check ? new AsyncLocalStorage<object>() : null;
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.sqlite.prepare(sql);
      // Texts built from a request (a filter's IN list, an OR of conditions) are many: the oldest
      // goes, so that the cache stays bounded; a fixed text evicted is simply prepared again.
      if (this.statements.size >= MAX_CACHED_STATEMENTS)
        this.statements.delete(this.statements.keys().next().value as string);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs a statement now, or once the open transaction has ended. */
  private async turn<T>(work: () => T): Promise<T> {
    while (this.held) {
      if (this.openTx !== null && this.inside?.getStore() === this.openTx)
        throw new Error(
          'A statement inside a transaction used the database outside it: use the runner the transaction hands out.',
        );
      await this.held;
    }
    return work();
  }

  all<T>(sql: string, params: SqlParams = []): Promise<T[]> {
    return this.turn(() => this.exec(() => this.statement(sql).all(...params) as T[]));
  }

  get<T>(sql: string, params: SqlParams = []): Promise<T | undefined> {
    return this.turn(() => this.exec(() => this.statement(sql).get(...params) as T | undefined));
  }

  run(sql: string, params: SqlParams = []): Promise<{ changes: number }> {
    return this.turn(() => this.exec(() => ({ changes: this.statement(sql).run(...params).changes })));
  }

  private exec<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw translateSqliteError(error);
    }
  }

  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T> {
    return this.within('BEGIN IMMEDIATE', fn);
  }

  /** A deferred transaction: its first read fixes what it sees (the write-ahead log keeps it). */
  snapshot<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T> {
    return this.within('BEGIN', fn);
  }

  private async within<T>(begin: string, fn: (tx: SqlRunner) => Promise<T>): Promise<T> {
    let release = () => {};
    const token = {};
    // Taken in the same turn as the check that nobody holds it.
    await this.turn(() => {
      this.held = new Promise<void>((resolve) => (release = resolve));
      this.openTx = token;
    });
    try {
      this.exec(() => this.sqlite.exec(begin));
      try {
        const tx = new SqliteTxRunner(this, 0);
        const result = await (this.inside ? this.inside.run(token, () => fn(tx)) : fn(tx));
        this.exec(() => this.sqlite.exec('COMMIT'));
        return result;
      } catch (error) {
        if (this.sqlite.inTransaction) this.sqlite.exec('ROLLBACK');
        throw error;
      }
    } finally {
      this.openTx = null;
      this.held = null;
      release();
    }
  }

  /** For the transaction's runner: statements that run inside the open transaction. */
  direct<T>(work: (statement: (sql: string) => Database.Statement) => T): T {
    return this.exec(() => work((sql) => this.statement(sql)));
  }
}

/** The runner an open SQLite transaction hands out: its statements run at once, inside it. */
class SqliteTxRunner implements SqlRunner {
  readonly dialect = 'sqlite' as const;
  constructor(
    private readonly owner: SqliteRunner,
    private readonly depth: number,
  ) {}

  all<T>(sql: string, params: SqlParams = []): Promise<T[]> {
    return Promise.resolve(this.owner.direct((s) => s(sql).all(...params) as T[]));
  }

  get<T>(sql: string, params: SqlParams = []): Promise<T | undefined> {
    return Promise.resolve(this.owner.direct((s) => s(sql).get(...params) as T | undefined));
  }

  run(sql: string, params: SqlParams = []): Promise<{ changes: number }> {
    return Promise.resolve(this.owner.direct((s) => ({ changes: s(sql).run(...params).changes })));
  }

  async transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T> {
    const name = `sp${this.depth + 1}`;
    this.owner.sqlite.exec(`SAVEPOINT ${name}`);
    try {
      const result = await fn(new SqliteTxRunner(this.owner, this.depth + 1));
      this.owner.sqlite.exec(`RELEASE ${name}`);
      return result;
    } catch (error) {
      this.owner.sqlite.exec(`ROLLBACK TO ${name}`);
      this.owner.sqlite.exec(`RELEASE ${name}`);
      throw error;
    }
  }

  snapshot<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T> {
    return fn(this);
  }
}

/**
 * `?` placeholders as PostgreSQL's `$1…$n`, leaving string literals, quoted names and comments
 * alone. Done once per SQL text.
 */
export function toPostgresPlaceholders(sql: string): string {
  let out = '';
  let n = 0;
  for (let i = 0; i < sql.length; i += 1) {
    const c = sql[i] as string;
    if (c === "'" || c === '"') {
      const end = sql.indexOf(c, i + 1);
      const stop = end === -1 ? sql.length : end;
      out += sql.slice(i, stop + 1);
      i = stop;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop - 1;
    } else if (c === '?') {
      n += 1;
      out += `$${n}`;
    } else out += c;
  }
  return out;
}
