import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataFiles, SecretBox, type ProvisioDb, type SqlRunner } from '@provisio/db';
import { openTestDatabase } from '@provisio/db/postgres-server';
import { inject as provided } from 'vitest';
import { DEFAULT_TARGET_POLICY, type TargetLookup } from '@provisio/scim-client';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp, type BuildAppOptions, type ProvisioApp } from '../src/app';
import { hashPassword } from '../src/auth/password';
import { hashSessionToken } from '../src/services/auth-service';

export const ADMIN = { userName: 'admin', password: 'correct horse battery staple' };
export const READER = { userName: 'reader', password: 'reader password 123' };

export interface TestContext {
  app: ProvisioApp;
  db: ProvisioDb;
  /** The same database for SQL of the test's own, to look at and write rows directly. */
  sql: SqlRunner;
  dataDir: string;
  /** Cookie header of a signed-in Administrator. */
  admin: string;
  /** Cookie header of a signed-in Reports Reader. */
  reader: string;
  /** Cookie header of a signed-in Application Administrator. */
  appAdmin: string;
  close(): Promise<void>;
}

let hashes: Promise<[string, string]> | undefined;

/** A DNS lookup that answers `localhost` and nothing else, without a packet leaving the machine. */
const offlineLookup: TargetLookup = (hostname, _options, callback) => {
  if (hostname === 'localhost') callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
};

async function session(db: ProvisioDb, accountId: string, now: Date): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db.accounts.insertSession(
    hashSessionToken(token),
    accountId,
    new Date(now.getTime() + 3600_000),
    now,
  );
  return `provisio_session=${token}`;
}

/** The database the run's tests use: SQLite, or PostgreSQL with PROVISIO_TEST_DB=postgres (decision 0010). */
export const TEST_DIALECT = process.env.PROVISIO_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';

/**
 * A real database (see `TEST_DIALECT`; `dialect` for a test of one database's behaviour), an
 * Administrator and a Reports Reader, both signed in.
 */
export async function startTestApp(
  options: Partial<BuildAppOptions> = {},
  dialect: typeof TEST_DIALECT = TEST_DIALECT,
): Promise<TestContext> {
  const dataDir = mkdtempSync(join(tmpdir(), 'provisio-api-'));
  const { db, sql, close } = await openTestDatabase({
    file: dataFiles(dataDir).database,
    secretBox: SecretBox.fromKey(randomBytes(32)),
    postgres: dialect === 'postgres' ? provided('postgres') : null,
  });
  // Hashing is deliberately slow; hash each test password once per test file.
  hashes ??= Promise.all([hashPassword(ADMIN.password), hashPassword(READER.password)]);
  const [adminHash, readerHash] = await hashes;
  const adminAccount = await db.accounts.insertAccount({
    userName: ADMIN.userName,
    passwordHash: adminHash,
    role: 'Administrator',
  });
  const readerAccount = await db.accounts.insertAccount({
    userName: READER.userName,
    passwordHash: readerHash,
    role: 'ReportsReader',
  });
  const appAdminAccount = await db.accounts.insertAccount({
    userName: 'app-admin',
    passwordHash: readerHash,
    role: 'ApplicationAdministrator',
  });
  // Host names never reach a DNS server from a test: loopback names resolve, others are unknown.
  const app = await buildApp({
    db,
    dataDir,
    targets: { policy: DEFAULT_TARGET_POLICY, lookup: offlineLookup },
    ...options,
  });
  // A browser sends its page's Origin with every write; so do the tests' requests, unless they set their own.
  const inject = app.inject.bind(app) as (opts: InjectOptions) => Promise<LightMyRequestResponse>;
  app.inject = ((opts: InjectOptions) =>
    inject({ ...opts, headers: { origin: 'http://localhost:80', ...opts.headers } })) as typeof app.inject;
  // Sessions as sign-in stores them (auth.test.ts covers sign-in itself).
  const admin = await session(db, adminAccount.id, options.now?.() ?? new Date());
  const reader = await session(db, readerAccount.id, options.now?.() ?? new Date());
  const appAdmin = await session(db, appAdminAccount.id, options.now?.() ?? new Date());
  return {
    app,
    db,
    sql,
    dataDir,
    admin,
    reader,
    appAdmin,
    close: async () => {
      await app.close();
      await close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Signs in and returns the `Cookie` header value for later requests. */
export async function signIn(
  app: ProvisioApp,
  account: { userName: string; password: string },
): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: account });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'provisio_session');
  if (!cookie) throw new Error('no session cookie');
  return `provisio_session=${cookie.value}`;
}

export interface ErrorJson {
  error: {
    code: string;
    message: string;
    requestId: string;
    details?: { code: string; message: string; target?: string }[];
  };
}
export const errorOf = (res: LightMyRequestResponse) => (res.json() as ErrorJson).error;

/** Creates a user through the API and returns its id. */
export async function createUser(
  t: TestContext,
  upn: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1.0/users',
    headers: { cookie: t.admin },
    payload: { userPrincipalName: upn, displayName: upn.split('@')[0], ...extra },
  });
  if (res.statusCode !== 201) throw new Error(`create user failed: ${res.statusCode} ${res.body}`);
  return (res.json() as { id: string }).id;
}

/** Creates an application with a SCIM job; returns both ids. */
export async function createAppWithJob(
  t: TestContext,
  displayName = 'Test SCIM App',
): Promise<{ spId: string; jobId: string }> {
  const sp = await t.app.inject({
    method: 'POST',
    url: '/api/v1.0/servicePrincipals',
    headers: { cookie: t.admin },
    payload: { displayName },
  });
  if (sp.statusCode !== 201) throw new Error(`create app failed: ${sp.statusCode} ${sp.body}`);
  const spId = (sp.json() as { id: string }).id;
  const job = await t.app.inject({
    method: 'POST',
    url: `/api/v1.0/servicePrincipals/${spId}/synchronization/jobs`,
    headers: { cookie: t.admin },
    payload: { templateId: 'scim' },
  });
  if (job.statusCode !== 201) throw new Error(`create job failed: ${job.statusCode} ${job.body}`);
  return { spId, jobId: (job.json() as { id: string }).id };
}

export interface RouteCase {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  payload?: object;
  /**
   * Reports Readers may call it; otherwise they get 403. By default a GET may be called (they read
   * the logs and the status) and a change may not. `access.test.ts` walks every route and role.
   */
  readerAllowed?: boolean;
}

/** Ids that do not exist: the session check answers before any lookup. */
export const NO_ID = '00000000-0000-4000-8000-000000000000';

/**
 * The first tests of every route: 401 `auth.unauthenticated` without a
 * session (or with a made-up one) and 403 `auth.forbidden` for a Reports
 * Reader where the route is for Administrators only.
 */
export function describeAccess(
  test: (name: string, fn: () => Promise<void>) => void,
  context: () => TestContext,
  routes: RouteCase[],
): void {
  for (const route of routes) {
    test(`${route.method} ${route.url} answers 401 without a session`, async () => {
      const t = context();
      for (const cookie of [undefined, 'provisio_session=not-a-real-session']) {
        const res = await t.app.inject({
          method: route.method,
          url: route.url,
          ...(route.payload ? { payload: route.payload } : {}),
          ...(cookie ? { headers: { cookie } } : {}),
        });
        if (res.statusCode !== 401) throw new Error(`expected 401, got ${res.statusCode} ${res.body}`);
        if (errorOf(res).code !== 'auth.unauthenticated')
          throw new Error(`expected auth.unauthenticated, got ${res.body}`);
      }
    });
    if (!(route.readerAllowed ?? route.method === 'GET')) {
      test(`${route.method} ${route.url} answers 403 to a Reports Reader`, async () => {
        const t = context();
        const res = await t.app.inject({
          method: route.method,
          url: route.url,
          ...(route.payload ? { payload: route.payload } : {}),
          headers: { cookie: t.reader },
        });
        if (res.statusCode !== 403) throw new Error(`expected 403, got ${res.statusCode} ${res.body}`);
        if (errorOf(res).code !== 'auth.forbidden')
          throw new Error(`expected auth.forbidden, got ${res.body}`);
      });
    }
  }
}

/** Audit events of the database, newest first. */
export async function auditEvents(t: TestContext) {
  return (await t.db.events.listAuditEvents({}, { top: 1000 })).items;
}

/** An application with a provisioning job whose credentials are saved (a closed loopback port: nothing answers). */
export async function configuredJob(t: TestContext, name: string): Promise<{ spId: string; jobId: string }> {
  const { spId, jobId } = await createAppWithJob(t, name);
  const res = await t.app.inject({
    method: 'PUT',
    url: `/api/v1.0/servicePrincipals/${spId}/synchronization/secrets`,
    headers: { cookie: t.admin },
    payload: {
      value: [
        { key: 'BaseAddress', value: 'http://127.0.0.1:9/scim/v2' },
        { key: 'SecretToken', value: 'token' },
      ],
    },
  });
  if (res.statusCode !== 204) throw new Error(`saving the credentials failed: ${res.statusCode} ${res.body}`);
  return { spId, jobId };
}
