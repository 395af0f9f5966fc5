import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/**
 * A new database on the run's PostgreSQL server: a copy of the migrated template, or empty (in
 * the C collation Provisio needs) with `{ empty: true }`. Returns its URL; the server, and the
 * database with it, is removed when the run ends.
 */
export async function freshPostgresDatabase(options: { empty?: boolean } = {}): Promise<string> {
  const { serverUrl, template } = inject('postgres');
  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(
      options.empty
        ? `CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`
        : `CREATE DATABASE ${name} TEMPLATE ${template}`,
    );
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
