import { dataFiles, openSqlite, type SqliteProvisioDb } from '@provisio/db';
import { afterEach, describe, expect, it } from 'vitest';
import { errorOf, startTestApp, type TestContext } from './helpers';

// On SQLite whatever the run's database: a writer that outlasts the busy timeout is SQLite's case
// (PostgreSQL's writers wait on the rows they share, without a timeout).
describe('a database another connection keeps locked', () => {
  let t: TestContext | null = null;
  afterEach(async () => {
    await t?.close();
    t = null;
  });

  it('answers a write 503 with Retry-After and says to try again; reads go on, and the retry succeeds', async () => {
    t = await startTestApp({}, 'sqlite');
    // The API's connection gives up on a lock after 50 ms instead of 10 s.
    (t.db as SqliteProvisioDb).sqlite.pragma('busy_timeout = 50');
    const other = openSqlite(dataFiles(t.dataDir).database);
    const create = () =>
      t!.app.inject({
        method: 'POST',
        url: '/api/v1.0/users',
        headers: { cookie: t!.admin },
        payload: { userPrincipalName: 'ana@contoso.com', displayName: 'Ana' },
      });
    other.exec('BEGIN IMMEDIATE');
    try {
      const refused = await create();
      expect(refused.statusCode).toBe(503);
      expect(refused.headers['retry-after']).toBe('1');
      expect(errorOf(refused)).toEqual(
        expect.objectContaining({
          code: 'database.busy',
          message:
            'The database is busy: another writer held it locked for longer than the busy timeout. Try again in a moment.',
        }),
      );
      // Reading does not wait for the writer.
      const listed = await t.app.inject({
        method: 'GET',
        url: '/api/v1.0/users',
        headers: { cookie: t.admin },
      });
      expect(listed.statusCode).toBe(200);
      expect((listed.json() as { value: unknown[] }).value).toEqual([]);
    } finally {
      other.exec('COMMIT');
      other.close();
    }

    const created = await create();
    expect(created.statusCode).toBe(201);
    const listed = await t.app.inject({
      method: 'GET',
      url: '/api/v1.0/users',
      headers: { cookie: t.admin },
    });
    expect(
      (listed.json() as { value: { userPrincipalName: string }[] }).value.map((u) => u.userPrincipalName),
    ).toEqual(['ana@contoso.com']);
  });
});
