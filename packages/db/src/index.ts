import { join } from 'node:path';
import { AccountsRepository } from './accounts-repository';
import { ApplicationsRepository } from './applications-repository';
import { ConnectorRepository } from './connector-repository';
import { CyclesRepository } from './cycles-repository';
import { migrate, openSqlite, type Sqlite } from './database';
import { DirectoryRepository } from './directory-repository';
import { EventsRepository } from './events-repository';
import { JobsRepository } from './jobs-repository';
import type { SecretBox } from './secret-box';

export * from './accounts-repository';
export * from './applications-repository';
export * from './connector-repository';
export * from './cycles-repository';
export * from './database';
export * from './directory-repository';
export * from './events-repository';
export * from './jobs-repository';
export * from './secret-box';
export * from './util';

/** Every repository over one SQLite connection. */
export interface ProvisioDb {
  sqlite: Sqlite;
  directory: DirectoryRepository;
  applications: ApplicationsRepository;
  jobs: JobsRepository;
  connector: ConnectorRepository;
  cycles: CyclesRepository;
  events: EventsRepository;
  accounts: AccountsRepository;
  /** Runs `fn` in one transaction (nested calls join it). */
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
export function openProvisioDb(options: { file: string; secretBox: SecretBox }): ProvisioDb {
  const sqlite = openSqlite(options.file);
  migrate(sqlite);
  const directory = new DirectoryRepository(sqlite);
  return {
    sqlite,
    directory,
    applications: new ApplicationsRepository(sqlite, directory),
    jobs: new JobsRepository(sqlite, options.secretBox),
    connector: new ConnectorRepository(sqlite),
    cycles: new CyclesRepository(sqlite),
    events: new EventsRepository(sqlite),
    accounts: new AccountsRepository(sqlite),
    transaction: <T>(fn: () => T): T => sqlite.transaction(fn)(),
    close: () => sqlite.close(),
  };
}
