import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  openProvisioDb,
  SecretBox,
  type Dialect,
  type ProvisioDb,
  type SqliteProvisioDb,
  type SqlRunner,
} from '../src/index';
import { inject } from 'vitest';
import { openTestDatabase } from '../src/postgres-server';

/** The dialect the repository tests run on: `PROVISIO_TEST_DB=postgres`, or SQLite by default. */
export const TEST_DIALECT: Dialect = process.env.PROVISIO_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';

/** A fresh database file in its own temp folder, removed by `cleanup`: for what only SQLite has. */
export function tempDb(): { db: SqliteProvisioDb; dir: string; cleanup: () => Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'provisio-db-'));
  const db = openProvisioDb({
    file: join(dir, 'provisio.db'),
    secretBox: SecretBox.fromKey(randomBytes(32)),
  });
  return {
    db,
    dir,
    cleanup: async () => {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh database on the dialect of the run, and a runner on it for tests that look at rows directly. */
export interface TestDb {
  db: ProvisioDb;
  /** Statements outside the repositories (`?` placeholders, SQL both dialects accept). */
  sql: SqlRunner;
  cleanup(): Promise<void>;
}

/**
 * A fresh, migrated database on {@link TEST_DIALECT}: SQLite in a temp file (`sql` runs on its
 * connection), or a new database on the run's PostgreSQL server (`sql` has a pool of its own).
 */
export async function testDb(): Promise<TestDb> {
  const dir = mkdtempSync(join(tmpdir(), 'provisio-db-'));
  const { db, sql, close } = await openTestDatabase({
    file: join(dir, 'provisio.db'),
    secretBox: SecretBox.fromKey(randomBytes(32)),
    postgres: TEST_DIALECT === 'postgres' ? inject('postgres') : null,
  });
  return {
    db,
    sql,
    cleanup: async () => {
      await close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
