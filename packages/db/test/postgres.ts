import { inject } from 'vitest';
import { createDatabase } from '../src/postgres-server';

/**
 * A new database on the run's PostgreSQL server: a copy of the migrated template, or empty (in
 * the C collation Provisio needs) with `{ empty: true }`. Returns its URL; the server, and the
 * database with it, is removed when the run ends.
 */
export function freshPostgresDatabase(options: { empty?: boolean } = {}): Promise<string> {
  const { serverUrl, template } = inject('postgres');
  return createDatabase(serverUrl, options.empty ? {} : { template });
}
