import { request, type APIRequestContext } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  AppRoleAssignment,
  Collection,
  ProvisioningObjectSummary,
  ServicePrincipal,
  User,
} from '@provisio/contracts';
import { baseURL, E2E } from '../playwright.config';

/** An API session signed in as the e2e administrator, for seeding and checking through the public API. */
export async function adminApi(): Promise<APIRequestContext> {
  // A browser names its page's origin on every write, and the API refuses cookie writes without it.
  const api = await request.newContext({ baseURL, extraHTTPHeaders: { origin: new URL(baseURL).origin } });
  const res = await api.post('/api/auth/sign-in', { data: E2E.admin });
  if (!res.ok()) throw new Error(`sign-in failed: ${res.status()} ${await res.text()}`);
  return api;
}

export async function json<T>(api: APIRequestContext, path: string): Promise<T> {
  const res = await api.get(path);
  if (!res.ok()) throw new Error(`GET ${path}: ${res.status()} ${await res.text()}`);
  return (await res.json()) as T;
}

export async function findApp(api: APIRequestContext, name: string): Promise<ServicePrincipal> {
  const list = await json<Collection<ServicePrincipal>>(
    api,
    `/api/v1.0/servicePrincipals?$search=${encodeURIComponent(name)}`,
  );
  const sp = list.value.find((s) => s.displayName === name);
  if (!sp) throw new Error(`no application named ${name}`);
  return sp;
}

export async function assignedUsers(api: APIRequestContext, spId: string): Promise<AppRoleAssignment[]> {
  return (
    await json<Collection<AppRoleAssignment>>(api, `/api/v1.0/servicePrincipals/${spId}/appRoleAssignedTo`)
  ).value;
}

export async function getUser(api: APIRequestContext, id: string): Promise<User> {
  return json<User>(api, `/api/v1.0/users/${id}`);
}

export async function provisioningEvents(
  api: APIRequestContext,
  filter: string,
): Promise<ProvisioningObjectSummary[]> {
  return (
    await json<Collection<ProvisioningObjectSummary>>(
      api,
      `/api/v1.0/auditLogs/provisioning?$top=1000&$filter=${encodeURIComponent(filter)}`,
    )
  ).value;
}

/** The bundled sample app's SCIM API, with the token the start command generated for it. */
export const sampleApp = {
  baseUrl: `http://127.0.0.1:${E2E.samplePort}/scim/v2`,
  pageUrl: `http://127.0.0.1:${E2E.samplePort}/`,
  token: () => readFileSync(join(E2E.dataDir, 'sample-app.token'), 'utf8').trim(),
  async users(): Promise<Record<string, unknown>[]> {
    const all: Record<string, unknown>[] = [];
    for (let start = 1; ; start += 100) {
      const res = await fetch(`${this.baseUrl}/Users?startIndex=${start}&count=100`, {
        headers: { authorization: `Bearer ${this.token()}` },
      });
      if (!res.ok) throw new Error(`sample app GET /Users: ${res.status}`);
      const page = (await res.json()) as { Resources: Record<string, unknown>[]; totalResults: number };
      all.push(...page.Resources);
      if (all.length >= page.totalResults || page.Resources.length === 0) return all;
    }
  },
  /** Empties the app's request log, so a test reads only what follows. */
  async clearRequests(): Promise<void> {
    const res = await fetch(`http://127.0.0.1:${E2E.samplePort}/admin/requests`, { method: 'DELETE' });
    if (res.status !== 204) throw new Error(`sample app DELETE /admin/requests: ${res.status}`);
  },
  /** The SCIM requests the app received, newest first (up to 10,000). */
  async requests(): Promise<{ method: string; path: string; status: number }[]> {
    const res = await fetch(`http://127.0.0.1:${E2E.samplePort}/admin/requests?limit=10000`);
    if (!res.ok) throw new Error(`sample app GET /admin/requests: ${res.status}`);
    return ((await res.json()) as { requests: { method: string; path: string; status: number }[] }).requests;
  },
  async userByUserName(userName: string): Promise<Record<string, unknown> | undefined> {
    const res = await fetch(
      `${this.baseUrl}/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`,
      {
        headers: { authorization: `Bearer ${this.token()}` },
      },
    );
    const page = (await res.json()) as { Resources: Record<string, unknown>[] };
    return page.Resources[0];
  },
};
