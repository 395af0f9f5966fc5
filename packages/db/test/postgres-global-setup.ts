/**
 * The integration tests' PostgreSQL: one throwaway server for the whole run (decision 0010), with
 * a database migrated once (`provisio_template`) that each test copies in a moment
 * (`freshPostgresDatabase` in ./postgres.ts). Stopped and removed when the run ends.
 */
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migratePostgres } from '../src/postgres-runner';
import { startPostgres } from '../src/postgres-server';

export const TEMPLATE = 'provisio_template';

export default async function setup(project: TestProject): Promise<() => void> {
  const server = await startPostgres();
  try {
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query(
      `CREATE DATABASE ${TEMPLATE} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`,
    );
    await admin.end();
    const pool = new pg.Pool({ connectionString: server.urlOf(TEMPLATE), max: 1 });
    await migratePostgres(pool, new Date());
    // A database is copied only while nobody is connected to it.
    await pool.end();
  } catch (error) {
    server.stop();
    throw error;
  }
  project.provide('postgres', { serverUrl: server.url, template: TEMPLATE });
  return () => server.stop();
}
