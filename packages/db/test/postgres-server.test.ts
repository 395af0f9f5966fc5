import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../src/postgres-server';

/** Whether something accepts connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('the throwaway PostgreSQL server of the tests', () => {
  let server: PostgresServer | undefined;
  afterAll(() => server?.stop());

  it('starts on a free loopback port, answers queries, then stops and leaves nothing behind', async () => {
    server = await startPostgres();
    expect(server.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    const version = await client.query<{ server_version: string }>('SHOW server_version');
    expect(version.rows[0]?.server_version).toMatch(/^15\./);
    await client.query('CREATE DATABASE provisio_probe');
    await client.end();
    const other = new pg.Client({ connectionString: server.urlOf('provisio_probe') });
    await other.connect();
    expect((await other.query<{ db: string }>('SELECT current_database() AS db')).rows[0]?.db).toBe(
      'provisio_probe',
    );
    await other.end();

    const { port, dir } = server;
    expect(await listening(port)).toBe(true);
    server.stop();
    expect(await listening(port)).toBe(false);
    expect(existsSync(dir)).toBe(false);
  });
});
