/**
 * A throwaway PostgreSQL 15 server for tests and benchmarks: Debian's binaries (the package is
 * installed when they are missing), a cluster in a temporary folder, listening on 127.0.0.1 on a
 * free port and on a Unix socket in that folder, stopped and removed by `stop()` (and on exit).
 *
 * PostgreSQL refuses to run as root: as root, the cluster's folder belongs to the `postgres`
 * user and `initdb`/`pg_ctl` run as that user through `runuser`. Nothing is left behind but the
 * Debian package.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openPostgresDb, openProvisioDb, type ProvisioDb } from './index';
import { PostgresRunner } from './postgres-runner';
import type { SecretBox } from './secret-box';
import { SqliteRunner, type SqlRunner } from './sql-runner';

export const POSTGRES_BIN = '/usr/lib/postgresql/15/bin';

/** What the integration tests' global setup provides (vitest `inject('postgres')`). */
export interface TestPostgres {
  /** The test server's admin URL. */
  serverUrl: string;
  /** The migrated database each test copies (`createDatabase(serverUrl, { template })`). */
  template: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: TestPostgres;
  }
}

export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` (trust authentication, loopback only). */
  url: string;
  port: number;
  /** The cluster's folder (data, socket, log). */
  dir: string;
  /** The URL of database `name` on this server. */
  urlOf(name: string): string;
  /** Stops the server and removes its folder. */
  stop(): void;
}

export interface StartPostgresOptions {
  /**
   * Whether commits wait for the disk (PostgreSQL's default). Tests turn it off: their databases
   * are thrown away, and fsync per commit would slow them down several times.
   */
  durable?: boolean;
  log?: (line: string) => void;
}

const isRoot = () => process.getuid?.() === 0;

/**
 * Installs Debian's PostgreSQL 15 when its binaries are missing, without starting a cluster: as
 * root, or through `sudo` otherwise. The one place that installs it: `./provisio test` leaves it to
 * the test projects' setup, which calls this before starting a server.
 */
export function ensurePostgresInstalled(log: (line: string) => void = () => {}): void {
  if (existsSync(join(POSTGRES_BIN, 'pg_ctl'))) return;
  log('Installing PostgreSQL 15 from Debian’s packages…');
  const asRoot = (command: string, args: string[]) => {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const result = isRoot()
      ? spawnSync(command, args, { env, stdio: 'inherit' })
      : spawnSync('sudo', ['env', 'DEBIAN_FRONTEND=noninteractive', command, ...args], { stdio: 'inherit' });
    if (result.error || result.status !== 0) {
      throw new Error(
        `${command} ${args.join(' ')} failed${isRoot() ? '' : ' (through sudo)'}. Install PostgreSQL 15 with: sudo apt-get install -y postgresql-15`,
      );
    }
  };
  // No service may start while the package installs: its default cluster would listen on 5432.
  const policy = '/usr/sbin/policy-rc.d';
  const hadPolicy = existsSync(policy);
  if (!hadPolicy) asRoot('sh', ['-c', `printf '#!/bin/sh\\nexit 101\\n' > ${policy} && chmod 755 ${policy}`]);
  try {
    asRoot('apt-get', ['update', '-qq']);
    asRoot('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'postgresql-15']);
  } finally {
    if (!hadPolicy) asRoot('rm', ['-f', policy]);
  }
  // The package may have created (not started) a default cluster; a running one would hold 5432.
  asRoot('sh', ['-c', 'pg_ctlcluster 15 main stop 2>/dev/null || true']);
}

/** A port free on 127.0.0.1 right now. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Runs a PostgreSQL binary, as the `postgres` user when this process is root. */
function runPg(binary: string, args: string[]): void {
  const command = join(POSTGRES_BIN, binary);
  const result = isRoot()
    ? spawnSync('runuser', ['-u', 'postgres', '--', command, ...args], { encoding: 'utf8' })
    : spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(
      `${binary} ${args.join(' ')} failed (${result.status}):\n${result.stdout}${result.stderr}`,
    );
}

/** Starts a new, empty PostgreSQL server; `stop()` it when done. */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const log = options.log ?? (() => {});
  ensurePostgresInstalled(log);
  const dir = mkdtempSync(join(tmpdir(), 'provisio-postgres-'));
  if (isRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', stop);
    try {
      if (existsSync(join(data, 'postmaster.pid')))
        runPg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  process.on('exit', stop);
  try {
    runPg('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
    const settings = [
      `-c listen_addresses=127.0.0.1`,
      `-k ${dir}`,
      `-c max_connections=200`,
      ...(options.durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
    ];
    // A port free a moment ago may be taken by the time the server binds it: try another.
    for (let attempt = 1; ; attempt += 1) {
      const port = await freePort();
      try {
        runPg('pg_ctl', [
          '-D',
          data,
          '-l',
          join(dir, 'server.log'),
          '-w',
          '-t',
          '60',
          '-o',
          `-p ${port} ${settings.join(' ')}`,
          'start',
        ]);
      } catch (error) {
        const serverLog = existsSync(join(dir, 'server.log'))
          ? readFileSync(join(dir, 'server.log'), 'utf8')
          : '';
        if (attempt < 3 && /could not bind|Address already in use/.test(serverLog)) continue;
        throw new Error(`${(error as Error).message}\n${serverLog}`, { cause: error });
      }
      const urlOf = (name: string) => `postgres://postgres@127.0.0.1:${port}/${encodeURIComponent(name)}`;
      log(`PostgreSQL 15 listening on 127.0.0.1:${port} (${dir})`);
      return { url: urlOf('postgres'), port, dir, urlOf, stop };
    }
  } catch (error) {
    stop();
    throw error;
  }
}

/**
 * Creates a database on a test server — a copy of `template` (a migrated database nobody is
 * connected to), or empty in the C collation Provisio needs — and returns its URL.
 */
export async function createDatabase(
  serverUrl: string,
  options: { template?: string } = {},
): Promise<string> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(
      options.template
        ? `CREATE DATABASE ${name} TEMPLATE ${options.template}`
        : `CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`,
    );
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A database opened for one test, and a runner of its own on it for the test's SQL. */
export interface TestDatabase {
  db: ProvisioDb;
  /** Statements outside the repositories (`?` placeholders, SQL both dialects accept). */
  sql: SqlRunner;
  /** PostgreSQL's URL of the database (a process started by the test needs it); null on SQLite. */
  url: string | null;
  close(): Promise<void>;
}

/**
 * Opens a fresh, migrated database for a test: the SQLite `file`, or — given the run's server
 * (vitest `inject('postgres')`) — a copy of its migrated template.
 */
export async function openTestDatabase(options: {
  file: string;
  secretBox: SecretBox;
  postgres: TestPostgres | null;
}): Promise<TestDatabase> {
  if (!options.postgres) {
    const db = openProvisioDb({ file: options.file, secretBox: options.secretBox });
    return { db, sql: new SqliteRunner(db.sqlite), url: null, close: () => db.close() };
  }
  const url = await createDatabase(options.postgres.serverUrl, { template: options.postgres.template });
  const db = await openPostgresDb({ url, secretBox: options.secretBox, poolSize: 6 });
  const sql = PostgresRunner.open(url, { poolSize: 2 });
  return {
    db,
    sql,
    url,
    close: async () => {
      await sql.close();
      await db.close();
    },
  };
}
