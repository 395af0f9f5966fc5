import pg from 'pg';
import {
  checkAppliedMigrations,
  listMigrations,
  MigrationMismatchError,
  type AppliedMigration,
} from './database';
import {
  DbConflictError,
  DbReferenceError,
  toPostgresPlaceholders,
  type SqlParams,
  type SqlRunner,
} from './sql-runner';

/**
 * Column types read as JavaScript numbers, as better-sqlite3 reads SQLite's integers: `bigint`
 * (counts, sequence numbers) and `numeric` (what SUM of a bigint gives). Values stay below 2^53.
 */
const NUMBER_TYPES = new Set([20, 1700]);
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    NUMBER_TYPES.has(oid)
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** PostgreSQL's constraint errors as the domain errors of `sql-runner`; anything else as it is. */
export function translatePostgresError(error: unknown): unknown {
  const e = error as { code?: string; table?: string; detail?: string; message?: string } | null;
  if (e?.code === '23505') {
    // detail: "Key (lower(user_principal_name))=(ada@contoso.com) already exists."
    const key = /^Key \((.+?)\)=/.exec(e.detail ?? '')?.[1] ?? '';
    const columns = key
      .split(',')
      .map((c) => c.trim().replace(/^lower\((.+)\)$/, '$1'))
      .filter((c) => c !== '');
    return new DbConflictError(e.table ?? '', columns, { cause: error });
  }
  if (e?.code === '23503')
    return new DbReferenceError('A row refers to one that does not exist.', { cause: error });
  return error;
}

/** A statement's PostgreSQL text, and the name it is prepared under on each connection if it has one. */
interface Prepared {
  name?: string;
  text: string;
}

/**
 * How many statement texts get a name. Each connection prepares a named text once and keeps it
 * until it closes, on the server as well as in node-postgres, so names must be bounded: texts are
 * many where they are built from a request (a filter's IN list, an OR of conditions) or hold a
 * batch's rows (a bulk write's last statement, of any size up to 500 rows).
 */
const MAX_NAMED_STATEMENTS = 500;
/**
 * How many unnamed texts are remembered with their PostgreSQL form: named at their second use
 * while names are left, and not converted again at each use once they are not.
 */
const MAX_UNNAMED = 2000;

type Queryable = Pick<pg.PoolClient, 'query'>;

/**
 * What the pool runner and a transaction's runner share: the names of statements. A text is named
 * at its second use while names are left, so that a text used once (most texts built from a
 * request) takes none; any other text runs unnamed, parsed at each execution. Either way it is
 * planned at each execution (see {@link PostgresRunner.open}).
 */
class Statements {
  private readonly named = new Map<string, Prepared>();
  private readonly unnamed = new Map<string, string>();

  prepared(sql: string): Prepared {
    const found = this.named.get(sql);
    if (found) return found;
    const seen = this.unnamed.get(sql);
    if (seen === undefined) {
      const text = toPostgresPlaceholders(sql);
      if (this.unnamed.size >= MAX_UNNAMED) this.unnamed.delete(this.unnamed.keys().next().value as string);
      this.unnamed.set(sql, text);
      return { text };
    }
    if (this.named.size >= MAX_NAMED_STATEMENTS) return { text: seen };
    this.unnamed.delete(sql);
    const named = { name: `s${this.named.size + 1}`, text: seen };
    this.named.set(sql, named);
    return named;
  }

  async query<T>(
    on: Queryable,
    sql: string,
    params: SqlParams,
  ): Promise<pg.QueryResult<T & pg.QueryResultRow>> {
    const { name, text } = this.prepared(sql);
    try {
      return await on.query<T & pg.QueryResultRow>({ name, text, values: params as unknown[] });
    } catch (error) {
      throw translatePostgresError(error);
    }
  }
}

abstract class PostgresQueries implements SqlRunner {
  readonly dialect = 'postgres' as const;
  protected constructor(protected readonly statements: Statements) {}
  protected abstract on(): Queryable;

  async all<T>(sql: string, params: SqlParams = []): Promise<T[]> {
    return (await this.statements.query<T>(this.on(), sql, params)).rows;
  }

  async get<T>(sql: string, params: SqlParams = []): Promise<T | undefined> {
    return (await this.statements.query<T>(this.on(), sql, params)).rows[0];
  }

  async run(sql: string, params: SqlParams = []): Promise<{ changes: number }> {
    return { changes: (await this.statements.query(this.on(), sql, params)).rowCount ?? 0 };
  }

  abstract transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
  abstract snapshot<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
}

/**
 * The PostgreSQL runner: a pool of connections (node-postgres). A statement takes any free
 * connection; a transaction holds one from BEGIN to COMMIT, at READ COMMITTED — a read that will be
 * written locks its rows (`FOR UPDATE`).
 */
export class PostgresRunner extends PostgresQueries {
  constructor(readonly pool: pg.Pool) {
    super(new Statements());
  }

  /** A runner over a new pool of `poolSize` connections to `url`. */
  static open(url: string, options: { poolSize?: number } = {}): PostgresRunner {
    // Statements are prepared once per connection, but planned at every execution, for the values
    // and the table sizes of the moment. After five executions PostgreSQL may otherwise keep one
    // generic plan, made while a table was small: in an initial cycle the connector records were
    // read by scanning the whole growing table, and a 30,000-user cycle took 39 s instead of 27 s.
    // Set in the connection's startup packet, so it holds before its first query.
    const pool = new pg.Pool({
      ...withStartupSetting(url, '-c plan_cache_mode=force_custom_plan'),
      max: options.poolSize ?? 10,
      types,
    });
    return new PostgresRunner(pool);
  }

  protected on(): Queryable {
    return this.pool;
  }

  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T> {
    return this.within('BEGIN', fn);
  }

  /** A read-only transaction at REPEATABLE READ: all its statements see the snapshot of its first. */
  snapshot<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T> {
    return this.within('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', fn);
  }

  private async within<T>(begin: string, fn: (tx: SqlRunner) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query(begin);
      try {
        const result = await fn(new PostgresTxRunner(this.statements, client, 0));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => (broken = true));
        throw error;
      }
    } finally {
      // A connection whose rollback failed is not given back to the pool.
      client.release(broken);
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

/**
 * The connection parameters that start each connection with `setting` as well as any `options` the
 * URL gives (`?options=-c search_path=…`): pg takes the URL's in place of a separate one.
 */
function withStartupSetting(url: string, setting: string): { connectionString: string; options?: string } {
  const parsed = URL.canParse(url) ? new URL(url) : null;
  const given = parsed?.searchParams.get('options');
  if (!parsed || !given) return { connectionString: url, options: setting };
  parsed.searchParams.set('options', `${given} ${setting}`);
  return { connectionString: parsed.toString() };
}

/** The runner an open PostgreSQL transaction hands out: its connection, savepoints for nesting. */
class PostgresTxRunner extends PostgresQueries {
  constructor(
    statements: Statements,
    private readonly client: pg.PoolClient,
    private readonly depth: number,
  ) {
    super(statements);
  }

  protected on(): Queryable {
    return this.client;
  }

  async transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T> {
    const name = `sp${this.depth + 1}`;
    await this.client.query(`SAVEPOINT ${name}`);
    try {
      const result = await fn(new PostgresTxRunner(this.statements, this.client, this.depth + 1));
      await this.client.query(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (error) {
      await this.client.query(`ROLLBACK TO SAVEPOINT ${name}`);
      throw error;
    }
  }

  snapshot<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T> {
    return fn(this);
  }
}

/** Any constant: the advisory lock two processes starting at once take before migrating. */
const MIGRATION_LOCK = 7_151_942;

/**
 * Applies the PostgreSQL migrations the database has not seen yet, after checking the ones it has
 * (`checkAppliedMigrations`), all in one transaction under an advisory lock: processes starting at
 * once migrate one after the other, and the second finds nothing left to do. Returns the versions
 * applied now.
 */
export async function migratePostgres(pool: pg.Pool, now: Date): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    try {
      await client.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
      const collation = (
        await client.query<{ collate: string; ctype: string; encoding: string }>(
          `SELECT datcollate AS collate, datctype AS ctype, pg_encoding_to_char(encoding) AS encoding
             FROM pg_database WHERE datname = current_database()`,
        )
      ).rows[0];
      if (
        collation &&
        (collation.collate !== 'C' || collation.ctype !== 'C' || collation.encoding !== 'UTF8')
      )
        throw new MigrationMismatchError(
          `The database uses collation ${collation.collate}, character type ${collation.ctype} and encoding ${collation.encoding}; Provisio needs C, C and UTF8, so that text sorts and compares as it does on SQLite. Create the database with: CREATE DATABASE <name> TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'.`,
        );
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL, checksum text)`);
      const migrations = listMigrations('postgres');
      const applied = (
        await client.query<AppliedMigration>(
          'SELECT version, name, checksum FROM schema_migrations ORDER BY version',
        )
      ).rows;
      for (const m of checkAppliedMigrations(applied, migrations))
        await client.query('UPDATE schema_migrations SET checksum = $1 WHERE version = $2', [
          m.checksum,
          m.version,
        ]);
      const seen = new Set(applied.map((r) => r.version));
      const done: number[] = [];
      for (const m of migrations) {
        if (seen.has(m.version)) continue;
        await client.query(m.sql);
        await client.query(
          'INSERT INTO schema_migrations (version, name, applied_at, checksum) VALUES ($1, $2, $3, $4)',
          [m.version, m.name, now.toISOString(), m.checksum],
        );
        done.push(m.version);
      }
      await client.query('COMMIT');
      return done;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  } finally {
    client.release();
  }
}
