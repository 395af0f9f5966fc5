import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { openSqlite } from '../src/index';
import { listMigrations, migrate } from '../src/index';
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
  let cleanup: (() => void) | undefined;
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
});
