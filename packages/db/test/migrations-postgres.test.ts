import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { listMigrations, migratePostgres, MigrationMismatchError } from '../src/index';
import { POSTGRES_BIN } from '../src/postgres-server';
import { freshPostgresDatabase } from './postgres';

const snapshotFile = fileURLToPath(new URL('../schema.postgres.snapshot.sql', import.meta.url));
const NOW = new Date('2026-01-01T00:00:00Z');

/** The schema as pg_dump writes it, without comments, session settings and restrict keys (they change per dump or version). */
function schemaOf(url: string): string {
  const dump = spawnSync(
    join(POSTGRES_BIN, 'pg_dump'),
    ['--schema-only', '--no-owner', '--no-privileges', url],
    {
      encoding: 'utf8',
    },
  );
  if (dump.status !== 0) throw new Error(dump.stderr);
  return (
    dump.stdout
      .split('\n')
      .filter(
        (line) =>
          !line.startsWith('--') && !/^SET |^SELECT pg_catalog\.set_config|^\\(un)?restrict /.test(line),
      )
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim() + '\n'
  );
}

describe('PostgreSQL migrations', () => {
  const pools: pg.Pool[] = [];
  /** A new, empty database on the run's server, and a pool on it. */
  const freshDatabase = async (options: { collation?: string } = {}) => {
    const url = await freshPostgresDatabase({ empty: true });
    if (options.collation) {
      // The same database again, in another collation.
      const name = new URL(url).pathname.slice(1);
      const admin = new pg.Client({ connectionString: url.replace(/\/[^/]*$/, '/postgres') });
      await admin.connect();
      await admin.query(`DROP DATABASE ${name}`);
      await admin.query(
        `CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE '${options.collation}' LC_CTYPE '${options.collation}'`,
      );
      await admin.end();
    }
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    pools.push(pool);
    return { url, pool };
  };
  afterAll(() => Promise.all(pools.map((p) => p.end().catch(() => {}))));

  it('produce exactly the schema snapshot (set UPDATE_SNAPSHOT=1 to refresh after adding a migration)', async () => {
    const { url, pool } = await freshDatabase();
    expect(await migratePostgres(pool, NOW)).toEqual(listMigrations('postgres').map((m) => m.version));
    const actual = schemaOf(url);
    if (process.env.UPDATE_SNAPSHOT === '1') writeFileSync(snapshotFile, actual);
    expect(actual).toBe(readFileSync(snapshotFile, 'utf8'));
  });

  it('two processes migrating at once: one applies, the other finds nothing to do; checksums recorded', async () => {
    const { pool } = await freshDatabase();
    const other = new pg.Pool({ connectionString: pool.options.connectionString, max: 2 });
    const [a, b] = await Promise.all([migratePostgres(pool, NOW), migratePostgres(other, NOW)]);
    expect([...a, ...b]).toEqual(listMigrations('postgres').map((m) => m.version));
    const recorded = await pool.query('SELECT version, checksum FROM schema_migrations ORDER BY version');
    expect(recorded.rows).toEqual(
      listMigrations('postgres').map((m) => ({ version: m.version, checksum: m.checksum })),
    );
    expect(await migratePostgres(pool, NOW)).toEqual([]);
    await other.end();
  });

  it('refuses an edited migration, naming it', async () => {
    const { pool } = await freshDatabase();
    await migratePostgres(pool, NOW);
    await pool.query("UPDATE schema_migrations SET checksum = 'feedbeef' WHERE version = 1");
    const again = migratePostgres(pool, NOW);
    await expect(again).rejects.toBeInstanceOf(MigrationMismatchError);
    await expect(again).rejects.toThrow(/Migration 0001-initial\.sql was changed after it was applied/);
  });

  it('refuses a database whose collation is not C, saying how to create one that fits', async () => {
    const { pool } = await freshDatabase({ collation: 'C.UTF-8' });
    await expect(migratePostgres(pool, NOW)).rejects.toThrow(
      /uses collation C\.UTF-8.*CREATE DATABASE <name> TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'/,
    );
    expect((await pool.query("SELECT to_regclass('directory_users') AS t")).rows[0]).toEqual({ t: null });
  });
});
