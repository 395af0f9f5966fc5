import { join, resolve } from 'node:path';
import { AccountsRepository } from './accounts-repository';
import { ApplicationsRepository } from './applications-repository';
import { BulkOperationsRepository } from './bulk-operations-repository';
import { ConnectorRepository } from './connector-repository';
import { CyclesRepository } from './cycles-repository';
import { migrate, openSqlite, type Dialect, type Sqlite } from './database';
import { migratePostgres, PostgresRunner } from './postgres-runner';
import { DirectoryExtensionsRepository } from './directory-extensions-repository';
import { DirectoryQueryRepository } from './directory-query-repository';
import { DirectoryRepository } from './directory-repository';
import { EscrowsRepository } from './escrows-repository';
import { EventsRepository } from './events-repository';
import { JobHealthRepository } from './job-health-repository';
import { JobsRepository } from './jobs-repository';
import { LogSummaryRepository } from './log-summary-repository';
import { OnDemandRepository } from './on-demand-repository';
import { PreviewsRepository } from './previews-repository';
import { TargetChecksRepository } from './target-checks-repository';
import { TokensRepository } from './tokens-repository';
import type { SecretBox } from './secret-box';
import { SqliteRunner, type SqlRunner } from './sql-runner';

export * from './accounts-repository';
export * from './time-ordered-id';
export * from './applications-repository';
export * from './backup';
export * from './bulk-operations-repository';
export * from './connector-repository';
export * from './cycles-repository';
export * from './database';
export * from './sql-runner';
export * from './dialect';
/** How events' bodies are stored (tests and benches that write rows of their own). */
export { packEventBody } from './event-body';
export * from './postgres-runner';
export * from './directory-extensions-repository';
export * from './directory-query-repository';
export * from './directory-repository';
export * from './escrows-repository';
export * from './events-repository';
export * from './jobs-repository';
export * from './job-health-repository';
export * from './log-summary-repository';
export * from './on-demand-repository';
export * from './previews-repository';
export * from './target-checks-repository';
export * from './tokens-repository';
export * from './secret-box';
export * from './util';

/** Every repository, over one database (or, in a transaction's callback, over that transaction). */
export interface ProvisioDb {
  /** Which database this is: SQL that differs between the two asks (decision 0010). */
  readonly dialect: Dialect;
  directory: DirectoryRepository;
  /** Graph's list parameters ($filter, $search, $count) and delta query over the directory. */
  directoryQueries: DirectoryQueryRepository;
  /** Directory extension attributes and nested groups. */
  directoryExtensions: DirectoryExtensionsRepository;
  applications: ApplicationsRepository;
  jobs: JobsRepository;
  jobHealth: JobHealthRepository;
  connector: ConnectorRepository;
  escrows: EscrowsRepository;
  cycles: CyclesRepository;
  events: EventsRepository;
  /** Counts and recent cycles for the provisioning log's summary charts. */
  logSummary: LogSummaryRepository;
  accounts: AccountsRepository;
  /** Provision-on-demand requests (API writes, a worker claims and answers). */
  onDemand: OnDemandRepository;
  /** Previews of the next cycle (API records, a worker claims and plans). */
  previews: PreviewsRepository;
  /** Target conformance checks of provisioning jobs (the API runs and records them). */
  targetChecks: TargetChecksRepository;
  /** API tokens for automation. */
  tokens: TokensRepository;
  /** Bulk create, update and delete of directory users from CSV files, and their rejected rows. */
  bulkOperations: BulkOperationsRepository;
  /**
   * Runs `fn` in one transaction and hands it `tx`: the same repositories, bound to the
   * transaction. Every database call of `fn` goes through `tx` (on SQLite, a call on the outer
   * database while the transaction is open is refused); `tx.transaction(…)` is a savepoint. `fn`
   * awaits only `tx`'s calls — no HTTP, no timers — so that locks are held briefly.
   *
   * On SQLite the transaction is IMMEDIATE: other processes write the same file, and a deferred
   * transaction that read first would fail with SQLITE_BUSY when it then wrote after another
   * process had; an immediate one waits its turn instead.
   */
  transaction<T>(fn: (tx: ProvisioDb) => Promise<T>): Promise<T>;
  /** Closes the connection. A transaction's `tx` refuses: close the database it came from. */
  close(): Promise<void>;
}

/**
 * A Provisio database in an SQLite file, with its raw connection for what only SQLite has: online
 * backup, WAL checkpoints, ANALYZE, and tests that look at rows directly.
 */
export interface SqliteProvisioDb extends ProvisioDb {
  readonly dialect: 'sqlite';
  readonly sqlite: Sqlite;
}

/** The repositories of a {@link ProvisioDb}: everything but its dialect, transaction and close. */
export type ProvisioRepositories = Omit<ProvisioDb, 'dialect' | 'transaction' | 'close'>;

/**
 * Builds every repository over one runner — the database's, or an open transaction's — so that
 * the repositories one of them relies on (applications' directory, directory queries' loaders) run
 * on the same runner as it does.
 */
export function buildRepositories(runner: SqlRunner, secretBox: SecretBox): ProvisioRepositories {
  const directory = new DirectoryRepository(runner);
  return {
    directory,
    directoryQueries: new DirectoryQueryRepository(runner, {
      users: (ids) => directory.listUsersByIds(ids),
      groups: (ids) => directory.listGroupsByIds(ids),
      members: (groupIds) => directory.listMemberIdsOf(groupIds),
    }),
    directoryExtensions: new DirectoryExtensionsRepository(runner, directory),
    applications: new ApplicationsRepository(runner, directory),
    jobs: new JobsRepository(runner, secretBox),
    jobHealth: new JobHealthRepository(runner),
    connector: new ConnectorRepository(runner),
    escrows: new EscrowsRepository(runner),
    cycles: new CyclesRepository(runner),
    events: new EventsRepository(runner),
    logSummary: new LogSummaryRepository(runner),
    accounts: new AccountsRepository(runner),
    onDemand: new OnDemandRepository(runner),
    previews: new PreviewsRepository(runner),
    targetChecks: new TargetChecksRepository(runner),
    tokens: new TokensRepository(runner),
    bulkOperations: new BulkOperationsRepository(runner),
  };
}

/** The repositories of an open transaction, whose own `transaction` is a savepoint of it. */
function transactionDb(tx: SqlRunner, secretBox: SecretBox): ProvisioDb {
  return {
    dialect: tx.dialect,
    ...buildRepositories(tx, secretBox),
    transaction: (fn) => tx.transaction((inner) => fn(transactionDb(inner, secretBox))),
    close: () =>
      Promise.reject(new Error('A transaction cannot close the database: close the one it came from.')),
  };
}

/** Where a data directory keeps its files. */
export const dataFiles = (dataDir: string) => ({
  database: join(dataDir, 'provisio.db'),
  secretKey: join(dataDir, 'secret.key'),
});

/**
 * Opens the database, applies pending migrations and builds the repositories over one connection.
 * Synchronous: a process opens its database before it does anything else. `file` may be
 * ':memory:' in tests.
 */
export function openProvisioDb(options: {
  file: string;
  secretBox: SecretBox;
  /**
   * WAL pages before an automatic checkpoint (SQLite's default 1000). A process that writes much,
   * like the worker, checkpoints less often with a larger value: a page changed by many commits
   * is copied into the database once per checkpoint, not once per 1000 pages of WAL.
   */
  walAutocheckpointPages?: number;
}): SqliteProvisioDb {
  const sqlite = openSqlite(options.file);
  if (options.walAutocheckpointPages !== undefined)
    sqlite.pragma(`wal_autocheckpoint = ${Math.max(1, Math.floor(options.walAutocheckpointPages))}`);
  migrate(sqlite);
  const runner = new SqliteRunner(sqlite);
  const { secretBox } = options;
  return {
    dialect: 'sqlite',
    sqlite,
    ...buildRepositories(runner, secretBox),
    transaction: (fn) => runner.transaction((tx) => fn(transactionDb(tx, secretBox))),
    close: async () => {
      // A transaction still open ends first: closing under it would lose its work.
      if (sqlite.open) await runner.get('SELECT 1');
      sqlite.close();
    },
  };
}

/**
 * Opens a Provisio database on a PostgreSQL server (decision 0010), applies pending migrations
 * (one process at a time) and builds the repositories over a pool of `poolSize` connections.
 */
export async function openPostgresDb(options: {
  url: string;
  secretBox: SecretBox;
  /** Connections of this process's pool (`PROVISIO_DATABASE_POOL_SIZE`, default 10). */
  poolSize?: number;
}): Promise<ProvisioDb> {
  const runner = PostgresRunner.open(
    options.url,
    options.poolSize === undefined ? {} : { poolSize: options.poolSize },
  );
  try {
    await migratePostgres(runner.pool, new Date());
  } catch (error) {
    await runner.close();
    throw error;
  }
  const { secretBox } = options;
  return {
    dialect: 'postgres',
    ...buildRepositories(runner, secretBox),
    transaction: (fn) => runner.transaction((tx) => fn(transactionDb(tx, secretBox))),
    close: () => runner.close(),
  };
}

/**
 * The data directory every process of an installation reads and writes (the SQLite database, the
 * secret key, the sample app's token): `PROVISIO_DATA_DIR`, default `./data`, relative to `cwd`.
 */
export function dataDirectory(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): string {
  return resolve(cwd, env.PROVISIO_DATA_DIR?.trim() || './data');
}

/** Where a process's database is: PostgreSQL's URL, or SQLite's file (the default). */
export type DatabaseLocation =
  { url: string; poolSize?: number } | { file: string; walAutocheckpointPages?: number };

/**
 * The database a process is configured for: PostgreSQL when `PROVISIO_DATABASE_URL` is set, else
 * SQLite in the data directory. A URL that is not `postgres://` or `postgresql://`, or a pool size that
 * is not a whole number from 1 to 1000, is an error naming the variable and what to write.
 */
export function databaseLocation(env: NodeJS.ProcessEnv, dataDir: string): DatabaseLocation {
  const url = env.PROVISIO_DATABASE_URL?.trim();
  if (!url) return { file: dataFiles(dataDir).database };
  if (!/^postgres(ql)?:\/\//.test(url))
    throw new Error(
      'PROVISIO_DATABASE_URL must be a PostgreSQL URL such as postgres://provisio@db.example.com:5432/provisio; leave it unset to use SQLite in PROVISIO_DATA_DIR.',
    );
  const size = env.PROVISIO_DATABASE_POOL_SIZE?.trim();
  if (size === undefined || size === '') return { url };
  const poolSize = Number(size);
  if (!Number.isInteger(poolSize) || poolSize < 1 || poolSize > 1000)
    throw new Error(
      `PROVISIO_DATABASE_POOL_SIZE must be a whole number from 1 to 1000 (connections per process), not "${size}".`,
    );
  return { url, poolSize };
}

/** Opens the database at `location` (SQLite synchronously under the promise). */
export async function openDatabase(location: DatabaseLocation, secretBox: SecretBox): Promise<ProvisioDb> {
  return 'url' in location
    ? openPostgresDb({
        url: location.url,
        secretBox,
        ...(location.poolSize === undefined ? {} : { poolSize: location.poolSize }),
      })
    : openProvisioDb({ ...location, secretBox });
}
