import { join } from 'node:path';
import { AccountsRepository } from './accounts-repository';
import { ApplicationsRepository } from './applications-repository';
import { BulkOperationsRepository } from './bulk-operations-repository';
import { ConnectorRepository } from './connector-repository';
import { CyclesRepository } from './cycles-repository';
import { migrate, openSqlite, type Sqlite } from './database';
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

/** Every repository over one SQLite connection. */
export interface ProvisioDb {
  sqlite: Sqlite;
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
   * Runs `fn` in one IMMEDIATE transaction (nested calls become savepoints of the outer one). Other
   * processes write the same file: a deferred transaction that read first fails with SQLITE_BUSY
   * when it then writes after another process did; an immediate one waits its turn instead.
   */
  transaction<T>(fn: () => T): T;
  close(): void;
}

/** Where a data directory keeps its files. */
export const dataFiles = (dataDir: string) => ({
  database: join(dataDir, 'provisio.db'),
  secretKey: join(dataDir, 'secret.key'),
});

/**
 * Opens the database, applies pending migrations and builds the repositories.
 * `file` may be ':memory:' in tests.
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
}): ProvisioDb {
  const sqlite = openSqlite(options.file);
  if (options.walAutocheckpointPages !== undefined)
    sqlite.pragma(`wal_autocheckpoint = ${Math.max(1, Math.floor(options.walAutocheckpointPages))}`);
  migrate(sqlite);
  const directory = new DirectoryRepository(sqlite);
  return {
    sqlite,
    directory,
    directoryQueries: new DirectoryQueryRepository(sqlite, {
      users: (ids) => directory.listUsersByIds(ids),
      groups: (ids) => directory.listGroupsByIds(ids),
    }),
    directoryExtensions: new DirectoryExtensionsRepository(sqlite, directory),
    applications: new ApplicationsRepository(sqlite, directory),
    jobs: new JobsRepository(sqlite, options.secretBox),
    jobHealth: new JobHealthRepository(sqlite),
    connector: new ConnectorRepository(sqlite),
    escrows: new EscrowsRepository(sqlite),
    cycles: new CyclesRepository(sqlite),
    events: new EventsRepository(sqlite),
    logSummary: new LogSummaryRepository(sqlite),
    accounts: new AccountsRepository(sqlite),
    onDemand: new OnDemandRepository(sqlite),
    previews: new PreviewsRepository(sqlite),
    targetChecks: new TargetChecksRepository(sqlite),
    tokens: new TokensRepository(sqlite),
    bulkOperations: new BulkOperationsRepository(sqlite),
    transaction: <T>(fn: () => T): T => sqlite.transaction(fn).immediate(),
    close: () => sqlite.close(),
  };
}
