// SQLite only: its migrations, checksums and schema snapshot (PostgreSQL's: migrations-postgres.test.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { openSqlite } from '../src/index';
import {
  listMigrations,
  migrate,
  migrationChecksum,
  MigrationMismatchError,
  openProvisioDb,
  openSqlite as openFile,
  SecretBox,
} from '../src/index';
import { tempDb } from './helpers';

const snapshotFile = fileURLToPath(new URL('../schema.snapshot.sql', import.meta.url));

function schemaOf(db: ReturnType<typeof openSqlite>): string {
  const rows = db
    .prepare(
      "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type, name",
    )
    .all() as { sql: string }[];
  return rows.map((r) => `${r.sql.replace(/\s+/g, ' ').trim()};`).join('\n') + '\n';
}

describe('migrations', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(() => cleanup?.());

  it('are numbered without gaps', () => {
    const versions = listMigrations().map((m) => m.version);
    expect(versions).toEqual(versions.map((_, i) => i + 1));
  });

  it('produce exactly the schema snapshot (set UPDATE_SNAPSHOT=1 to refresh after adding a migration)', () => {
    const t = tempDb();
    cleanup = t.cleanup;
    const actual = schemaOf(t.db.sqlite);
    if (process.env.UPDATE_SNAPSHOT === '1') writeFileSync(snapshotFile, actual);
    expect(actual).toBe(readFileSync(snapshotFile, 'utf8'));
  });

  it('applying them again changes nothing', () => {
    const t = tempDb();
    cleanup = t.cleanup;
    expect(migrate(t.db.sqlite)).toEqual([]);
  });

  it('records each file’s checksum; a database migrated before checksums were recorded gets them, nothing else changes', () => {
    const t = tempDb();
    cleanup = t.cleanup;
    const recorded = () =>
      t.db.sqlite.prepare('SELECT version, checksum FROM schema_migrations ORDER BY version').all();
    const files = listMigrations().map((m) => ({ version: m.version, checksum: migrationChecksum(m.sql) }));
    expect(recorded()).toEqual(files);
    // As an older release left it: no checksum column.
    t.db.sqlite.exec('ALTER TABLE schema_migrations DROP COLUMN checksum');
    expect(migrate(t.db.sqlite)).toEqual([]);
    expect(recorded()).toEqual(files);
  });

  it('refuses to open a database whose applied migration was edited since, naming the file and the fix', async () => {
    const t = tempDb();
    cleanup = t.cleanup;
    const file = join(t.dir, 'provisio.db');
    t.db.sqlite
      .prepare("UPDATE schema_migrations SET checksum = 'feedbeef' || checksum WHERE version = 7")
      .run();
    await t.db.close();
    const open = () => openProvisioDb({ file, secretBox: SecretBox.fromKey(randomBytes(32)) });
    expect(open).toThrow(MigrationMismatchError);
    expect(open).toThrow(
      /Migration 0007-api-tokens-and-roles\.sql was changed after it was applied .*restore the file as it was and put the change in a new migration/,
    );
    // Nothing was applied or rewritten by the refusal.
    const raw = openFile(file);
    expect(
      (raw.prepare('SELECT checksum FROM schema_migrations WHERE version = 7').get() as { checksum: string })
        .checksum,
    ).toMatch(/^feedbeef/);
    raw.close();
  });

  it('refuses a database upgraded by a newer version, naming its migration', () => {
    const t = tempDb();
    cleanup = t.cleanup;
    t.db.sqlite
      .prepare(
        "INSERT INTO schema_migrations (version, name, applied_at, checksum) VALUES (999, '0999-from-the-future.sql', '2030-01-01T00:00:00Z', 'x')",
      )
      .run();
    expect(() => migrate(t.db.sqlite)).toThrow(
      /The database has migration 0999-from-the-future\.sql, which this version of Provisio does not know/,
    );
  });
});
