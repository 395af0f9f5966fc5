import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Sqlite = Database.Database;

/** The SQL dialects Provisio's database speaks (decision 0010). */
export type Dialect = 'sqlite' | 'postgres';

const migrationsDir = (dialect: Dialect) =>
  fileURLToPath(new URL(`./migrations/${dialect}`, import.meta.url));

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** SHA-256 of the file (line endings as LF), recorded when applied: an edited migration is refused. */
  checksum: string;
}

/** The checksum `schema_migrations` records for a migration's text. */
export const migrationChecksum = (sql: string) =>
  createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');

/** A dialect's numbered SQL files of `migrations/<dialect>/`, in order. Never edit one that has been released. */
export function listMigrations(dialect: Dialect = 'sqlite'): Migration[] {
  const dir = migrationsDir(dialect);
  return readdirSync(dir)
    .filter((f) => /^\d{4}-.+\.sql$/.test(f))
    .sort()
    .map((f) => {
      const sql = readFileSync(`${dir}/${f}`, 'utf8');
      return { version: Number(f.slice(0, 4)), name: f, sql, checksum: migrationChecksum(sql) };
    });
}

/** The database and the migrations of this release disagree: starting would risk the data. */
export class MigrationMismatchError extends Error {
  override readonly name = 'MigrationMismatchError';
}

/** One migration applied earlier, as `schema_migrations` records it. */
export interface AppliedMigration {
  version: number;
  name: string;
  checksum: string | null;
}

/**
 * Checks the migrations a database has applied against this release's files: an applied file must
 * be unchanged (same checksum), and this release must know every applied version. Returns the
 * applied rows that have no checksum yet (applied before checksums were recorded), to be given one.
 */
export function checkAppliedMigrations(
  applied: readonly AppliedMigration[],
  migrations: readonly Migration[],
): Migration[] {
  const byVersion = new Map(migrations.map((m) => [m.version, m]));
  const unrecorded: Migration[] = [];
  for (const row of applied) {
    const file = byVersion.get(row.version);
    if (!file)
      throw new MigrationMismatchError(
        `The database has migration ${row.name}, which this version of Provisio does not know: it was upgraded by a newer version. Run that version, or restore a backup taken before the upgrade.`,
      );
    if (row.checksum === null) unrecorded.push(file);
    else if (row.checksum !== file.checksum)
      throw new MigrationMismatchError(
        `Migration ${file.name} was changed after it was applied to this database (checksum ${row.checksum.slice(0, 12)}…, the file now ${file.checksum.slice(0, 12)}…). A released migration is never edited: restore the file as it was and put the change in a new migration.`,
      );
  }
  return unrecorded;
}

/**
 * Applies the migrations the database has not seen yet, each in its own transaction, after
 * checking the ones it has (`checkAppliedMigrations`). Returns the versions applied now.
 */
export function migrate(db: Sqlite): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL, checksum TEXT)`);
  const columns = db.prepare('PRAGMA table_info(schema_migrations)').all() as { name: string }[];
  if (!columns.some((c) => c.name === 'checksum'))
    db.exec('ALTER TABLE schema_migrations ADD COLUMN checksum TEXT');
  const migrations = listMigrations('sqlite');
  const applied = db
    .prepare('SELECT version, name, checksum FROM schema_migrations ORDER BY version')
    .all() as AppliedMigration[];
  const unrecorded = checkAppliedMigrations(applied, migrations);
  if (unrecorded.length > 0) {
    const record = db.prepare('UPDATE schema_migrations SET checksum = ? WHERE version = ?');
    db.transaction(() => unrecorded.forEach((m) => record.run(m.checksum, m.version)))();
  }
  const seen = new Set(applied.map((r) => r.version));
  const done: number[] = [];
  for (const m of migrations) {
    if (seen.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare(
        'INSERT INTO schema_migrations (version, name, applied_at, checksum) VALUES (?, ?, ?, ?)',
      ).run(m.version, m.name, new Date().toISOString(), m.checksum);
    })();
    done.push(m.version);
  }
  return done;
}

/**
 * Opens (creating if needed) a Provisio database file with the settings every
 * process uses: WAL so the API reads while a worker writes, a busy timeout so
 * two processes wait for each other rather than fail, and foreign keys on.
 */
export function openSqlite(file: string): Sqlite {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 10000');
  db.pragma('foreign_keys = ON');
  return db;
}
