import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildSampleApp, type SampleAppOptions } from '../src/index';

export const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const LEGACY_GROUP = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

export interface Reply {
  status: number;
  headers: Headers;
  // Response bodies are whatever the server sent; tests read them loosely.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of any shape, asserted field by field
  body: any;
  text: string;
}

export interface Running {
  app: FastifyInstance;
  origin: string;
  scim: string;
  token: string;
  dir: string;
  close(): Promise<void>;
}

/** Starts the real app on a free port of 127.0.0.1 with its database in a fresh temporary folder. */
export async function startApp(options: Partial<SampleAppOptions> = {}): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), 'sample-app-test-'));
  const token = options.token ?? 'test-token-' + Math.random().toString(36).slice(2);
  const app = buildSampleApp({ dataDir: dir, ...options, token });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  const origin = `http://127.0.0.1:${address.port}`;
  return {
    app,
    origin,
    scim: `${origin}/scim/v2`,
    token,
    dir,
    async close() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function http(
  method: string,
  url: string,
  options: { body?: unknown; headers?: Record<string, string>; raw?: string } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/scim+json';
  }
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/** A SCIM client for one running app: paths are relative to /scim/v2 and carry the bearer token. */
export function scimClient(r: Running) {
  const auth = { authorization: `Bearer ${r.token}` };
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    http(method, r.scim + path, { body, headers: { ...auth, ...headers } });
  return {
    get: (path: string, headers?: Record<string, string>) => call('GET', path, undefined, headers),
    post: (path: string, body: unknown, headers?: Record<string, string>) =>
      call('POST', path, body, headers),
    put: (path: string, body: unknown, headers?: Record<string, string>) => call('PUT', path, body, headers),
    patch: (path: string, body: unknown, headers?: Record<string, string>) =>
      call('PATCH', path, body, headers),
    delete: (path: string, headers?: Record<string, string>) => call('DELETE', path, undefined, headers),
    /** GET /Users?filter=… with the filter URL-encoded. */
    filter: (resource: 'Users' | 'Groups', filter: string, extra = '') =>
      call('GET', `/${resource}?filter=${encodeURIComponent(filter)}${extra}`),
    admin: (method: string, path: string, body?: unknown) =>
      http(
        method,
        r.origin + path,
        body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } },
      ),
  };
}

export type ScimClient = ReturnType<typeof scimClient>;

/** A user body as Entra's default job sends it on create. */
export function entraUser(userName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemas: [USER, ENTERPRISE],
    externalId: userName.split('@')[0],
    userName,
    active: true,
    emails: [{ primary: true, type: 'work', value: userName }],
    meta: { resourceType: 'User' },
    name: { formatted: 'Test User', familyName: 'User', givenName: 'Test' },
    roles: [],
    ...extra,
  };
}

export function patchBody(...operations: Record<string, unknown>[]): Record<string, unknown> {
  return { schemas: [PATCH_OP], Operations: operations };
}

export async function createUser(
  c: ScimClient,
  userName: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const res = await c.post('/Users', entraUser(userName, extra));
  if (res.status !== 201) throw new Error(`create ${userName}: ${res.status} ${res.text}`);
  return res.body.id as string;
}

export async function createGroup(
  c: ScimClient,
  displayName: string,
  members: string[] = [],
): Promise<string> {
  const res = await c.post('/Groups', {
    schemas: [GROUP],
    displayName,
    members: members.map((value) => ({ value })),
  });
  if (res.status !== 201) throw new Error(`create group ${displayName}: ${res.status} ${res.text}`);
  return res.body.id as string;
}

/** Asserts a SCIM error body; returns it for further checks. */
export function expectScimError(res: Reply, status: number, scimType?: string): void {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
  const b = res.body;
  if (!b || !Array.isArray(b.schemas) || b.schemas[0] !== ERROR)
    throw new Error(`not a SCIM error body: ${res.text}`);
  if (b.status !== String(status)) throw new Error(`status field ${b.status} should be "${status}"`);
  if (scimType !== undefined && b.scimType !== scimType)
    throw new Error(`scimType ${b.scimType} should be ${scimType}: ${res.text}`);
  if (typeof b.detail !== 'string' || b.detail === '') throw new Error('detail missing');
  if (!(res.headers.get('content-type') ?? '').startsWith('application/scim+json'))
    throw new Error('wrong content type');
}
