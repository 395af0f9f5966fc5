// What the worker's integration tests share: a real database in a temp folder, the real sample SCIM
// application as a child process on a free port, and a job seeded the way the API seeds one.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  dataFiles,
  SecretBox,
  type Dialect,
  type ProvisioDb,
  type SqliteProvisioDb,
  type SqlRunner,
} from '@provisio/db';
import { openTestDatabase } from '@provisio/db/postgres-server';
import { inject } from 'vitest';
import { defaultScimSchema, defaultUserAttributeMappings, ENTERPRISE_USER } from '@provisio/gallery';
import type {
  AttributeMapping,
  ObjectFlowType,
  ObjectMapping,
  SynchronizationSchema,
} from '@provisio/engine';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const ENTERPRISE = ENTERPRISE_USER;
export const DEFAULT_ROLE = '00000000-0000-0000-0000-000000000000';

export interface RequestLogEntry {
  time: string;
  method: string;
  path: string;
  query: string;
  body: unknown;
  status: number;
}

export interface ScimGroup {
  id: string;
  displayName: string;
  externalId?: string;
  members?: { value: string; display?: string }[];
}

export interface ScimUser {
  id: string;
  userName: string;
  active?: boolean | string;
  displayName?: string;
  externalId?: string;
  [key: string]: unknown;
}

/** The sample SCIM application running as its own process. */
export interface SampleApp {
  scimBaseUrl: string;
  origin: string;
  token: string;
  reset(): Promise<void>;
  clearRequests(): Promise<void>;
  /** The request log, oldest first. */
  requests(): Promise<RequestLogEntry[]>;
  users(): Promise<ScimUser[]>;
  /** Every group with its members. */
  groups(): Promise<ScimGroup[]>;
  createUser(body: Record<string, unknown>): Promise<ScimUser>;
  /** Sets fault switches (PATCH /admin/faults); `{}` leaves them, `clearFaults` turns all off. */
  setFaults(faults: Record<string, unknown>): Promise<void>;
  clearFaults(): Promise<void>;
  /** The process id, for memory figures. */
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts `apps/sample-app` on a free port and waits for its ready line. `env` adds settings such as
 * `SAMPLE_APP_REQUEST_LOG: 'off'` or fault switches.
 */
export async function startSampleApp(env: Record<string, string> = {}): Promise<SampleApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'provisio-sample-app-'));
  const token = `test-token-${process.pid}-${Date.now()}`;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'apps/sample-app/src/main.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: '0', SAMPLE_APP_DATA_DIR: dataDir, SAMPLE_APP_TOKEN: token, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const scimBaseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sample-app did not start in 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /sample-app ready scimBaseUrl=(\S+)/.exec(output);
      if (ready?.[1]) {
        clearTimeout(timer);
        resolve(ready[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sample-app exited with ${code}:\n${output}`));
    });
  });
  const origin = new URL(scimBaseUrl).origin;
  const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' };
  const ok = async (response: Response): Promise<Response> => {
    if (!response.ok)
      throw new Error(`${response.url} answered ${response.status}: ${await response.text()}`);
    return response;
  };
  return {
    scimBaseUrl,
    origin,
    token,
    reset: async () => {
      await ok(await fetch(`${origin}/admin/reset`, { method: 'POST' }));
    },
    clearRequests: async () => {
      await ok(await fetch(`${origin}/admin/requests`, { method: 'DELETE' }));
    },
    requests: async () => {
      const body = (await (await ok(await fetch(`${origin}/admin/requests?limit=10000`))).json()) as {
        requests: RequestLogEntry[];
      };
      return body.requests.reverse();
    },
    users: async () => {
      const all: ScimUser[] = [];
      for (let start = 1; ; start += 1000) {
        const body = (await (
          await ok(await fetch(`${scimBaseUrl}/Users?startIndex=${start}&count=1000`, { headers: auth }))
        ).json()) as { Resources?: ScimUser[]; totalResults: number };
        all.push(...(body.Resources ?? []));
        if ((body.Resources ?? []).length === 0 || all.length >= body.totalResults) return all;
      }
    },
    groups: async () => {
      const body = (await (
        await ok(await fetch(`${scimBaseUrl}/Groups?startIndex=1&count=1000`, { headers: auth }))
      ).json()) as { Resources?: ScimGroup[] };
      return body.Resources ?? [];
    },
    createUser: async (resource) => {
      const response = await ok(
        await fetch(`${scimBaseUrl}/Users`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], ...resource }),
        }),
      );
      return (await response.json()) as ScimUser;
    },
    setFaults: async (faults) => {
      await ok(
        await fetch(`${origin}/admin/faults`, {
          method: 'PATCH',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(faults),
        }),
      );
    },
    clearFaults: async () => {
      await ok(await fetch(`${origin}/admin/faults`, { method: 'DELETE' }));
    },
    pid: child.pid ?? 0,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The database the run's tests use: SQLite, or PostgreSQL with PROVISIO_TEST_DB=postgres (decision 0010). */
export const TEST_DIALECT: 'sqlite' | 'postgres' =
  process.env.PROVISIO_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';

/** A test's data folder and database (see {@link tempDataDir}). */
export interface TestData {
  dir: string;
  /** The database, opened the way the worker process opens it. */
  db: ProvisioDb;
  /** The same database for SQL of the test's own (`?` placeholders, SQL both dialects accept). */
  sql: SqlRunner;
  /** What a worker process started by the test needs to open the same database with the same key. */
  env: Record<string, string>;
  cleanup: () => Promise<void>;
}

/**
 * A fresh Provisio data folder with its database (see `TEST_DIALECT`): an SQLite file in the folder,
 * or a copy of the run's migrated PostgreSQL template. The secret key is the folder's key file, as a
 * worker process started with `env` finds it.
 */
export async function tempDataDir(dialect: Dialect = TEST_DIALECT): Promise<TestData> {
  const dir = mkdtempSync(join(tmpdir(), 'provisio-worker-'));
  const files = dataFiles(dir);
  const { db, sql, url, close } = await openTestDatabase({
    file: files.database,
    secretBox: SecretBox.load(files.secretKey),
    postgres: dialect === 'postgres' ? inject('postgres') : null,
  });
  return {
    dir,
    db,
    sql,
    env: { PROVISIO_DATA_DIR: dir, ...(url ? { PROVISIO_DATABASE_URL: url } : {}) },
    cleanup: async () => {
      await close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The SQLite connection of a test database, for the tests that only SQLite has a part in. */
export function sqliteOf(db: ProvisioDb): SqliteProvisioDb['sqlite'] {
  if (db.dialect !== 'sqlite') throw new Error('This test runs on SQLite only.');
  return (db as SqliteProvisioDb).sqlite;
}

/** The user mappings a new non-gallery SCIM application starts with: the gallery's template. */
export const defaultUserMappings = (): AttributeMapping[] => defaultUserAttributeMappings();

/** The default user mappings and the manager, a reference the references phase resolves. */
export const withManagerMapping = (): AttributeMapping[] => [
  ...defaultUserMappings(),
  {
    source: { type: 'Attribute', name: 'manager', expression: '[manager]', parameters: [] },
    targetAttributeName: `${ENTERPRISE}:manager`,
    defaultValue: null,
    flowType: 'Always',
    matchingPriority: 0,
    flowBehavior: 'FlowWhenChanged',
    exportMissingReferences: false,
  },
];

/** The gallery's SCIM schema for a job, with the user mapping's attribute mappings, actions and scope replaced. */
export function scimSchema(
  jobId: string,
  mappings = defaultUserMappings(),
  flowTypes: ObjectFlowType[] = ['Add', 'Update', 'Delete'],
  scope: ObjectMapping['scope'] = null,
  groups: GroupMappingOptions | null = null,
): SynchronizationSchema {
  const schema = defaultScimSchema(jobId);
  for (const rule of schema.synchronizationRules) {
    rule.objectMappings = rule.objectMappings.flatMap((m) => {
      if (m.sourceObjectName === 'User') return [{ ...m, flowTypes, scope, attributeMappings: mappings }];
      if (!groups) return [];
      return [
        {
          ...m,
          enabled: true,
          flowTypes: groups.flowTypes ?? m.flowTypes,
          scope: groups.scope ?? null,
          attributeMappings: groups.mappings ?? m.attributeMappings,
        },
      ];
    });
  }
  return schema;
}

/** The group mapping of a test job: the gallery's, enabled, with these parts replaced. */
export interface GroupMappingOptions {
  mappings?: AttributeMapping[];
  flowTypes?: ObjectFlowType[];
  scope?: ObjectMapping['scope'];
}

/** An application with a started provisioning job pointed at the sample app. */
export async function seedJob(
  db: ProvisioDb,
  app: SampleApp,
  options: {
    displayName?: string;
    token?: string;
    mappings?: AttributeMapping[];
    secrets?: Record<string, string>;
    /** Target Object Actions (default Create, Update, Delete). */
    flowTypes?: ObjectFlowType[];
    scope?: ObjectMapping['scope'];
    /** Job settings such as `EscrowRetrySchedule` or `InitialCycleMatching`. */
    settings?: Record<string, string>;
    /** Provision groups too: the gallery's group mapping, enabled. */
    groups?: GroupMappingOptions | true;
  } = {},
): Promise<{ spId: string; jobId: string }> {
  const sp = await db.applications.insertServicePrincipal({
    displayName: options.displayName ?? 'Sample SCIM App',
  });
  const jobId = `scim.${sp.id.replace(/-/g, '')}`;
  await db.jobs.insertJob({
    id: jobId,
    servicePrincipalId: sp.id,
    templateId: 'scim',
    schema: scimSchema(
      jobId,
      options.mappings,
      options.flowTypes,
      options.scope ?? null,
      options.groups === true ? {} : (options.groups ?? null),
    ),
    intervalSeconds: 2400,
    settings: options.settings ?? {},
  });
  await db.jobs.setSecrets(jobId, {
    BaseAddress: app.scimBaseUrl,
    SecretToken: options.token ?? app.token,
    ...options.secrets,
  });
  await db.jobs.updateJob(jobId, { scheduleState: 'Active', statusCode: 'NotRun' });
  return { spId: sp.id, jobId };
}

export async function assign(
  db: ProvisioDb,
  spId: string,
  principalId: string,
  principalType: 'User' | 'Group' = 'User',
): Promise<string> {
  const assignment = await db.applications.insertAssignment({
    servicePrincipalId: spId,
    principalId,
    principalType,
    appRoleId: DEFAULT_ROLE,
  });
  return assignment.id;
}

/** A job that maps the manager, with Ana, Cai and Ben (whose manager is Ana), all assigned. */
export async function seedManagerTeam(db: ProvisioDb, app: SampleApp) {
  const { spId, jobId } = await seedJob(db, app, { mappings: withManagerMapping() });
  const ana = await addUser(db, 'ana');
  const cai = await addUser(db, 'cai');
  const ben = await addUser(db, 'ben', { managerId: ana.id });
  for (const u of [ana, ben, cai]) await assign(db, spId, u.id);
  return { spId, jobId, ana, cai, ben };
}

/** The manager id an account in the target holds, if any. */
export function managerValue(account: Record<string, unknown> | undefined): string | undefined {
  return (account?.[ENTERPRISE] as { manager?: { value?: string } } | undefined)?.manager?.value;
}

export function addUser(db: ProvisioDb, name: string, over: Record<string, unknown> = {}) {
  return db.directory.insertUser({
    userPrincipalName: `${name}@contoso.com`,
    displayName: `${name[0]?.toUpperCase()}${name.slice(1)} Test`,
    givenName: name,
    surname: 'Test',
    mail: `${name}@contoso.com`,
    department: 'Sales',
    jobTitle: 'Engineer',
    employeeId: '1000',
    ...over,
  });
}

/** A scoping filter of one clause (`department EQUALS Sales`), as the mapping editor saves it. */
export function scopeOf(attribute: string, operator: string, ...values: string[]): ObjectMapping['scope'] {
  return {
    groups: [
      {
        name: 'Scope',
        clauses: [{ sourceOperandName: attribute, operatorName: operator, targetOperand: { values } }],
      },
    ],
    inputFilterGroups: [],
    categoryFilterGroups: [],
  };
}

/** Marks the job as requested now, so that the next claim takes it (like the API's runNow). */
export async function requestRun(db: ProvisioDb, jobId: string): Promise<void> {
  await db.jobs.updateJob(jobId, { runRequestedAt: new Date().toISOString() });
}

/**
 * `items.map(fn)` for an asynchronous `fn`, one call after another: database writes keep their
 * order (ids, insertion order) as they did when the calls were synchronous.
 */
export async function mapInOrder<T, R>(
  items: readonly T[],
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  for (const [index, item] of items.entries()) results.push(await fn(item, index));
  return results;
}
