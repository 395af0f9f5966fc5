import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiToken, ApiTokenCreated, Role } from '@provisio/contracts';
import { ROLES_OF } from '../src/plugins/access';
import { hashSessionToken } from '../src/services/auth-service';
import { auditEvents, errorOf, NO_ID, signIn, startTestApp, type TestContext, ADMIN } from './helpers';

// Every route, every role, both kinds of credentials: walks Fastify's own route table, so a route
// added later is covered without being listed here.
let t: TestContext;
let clock = new Date('2026-06-01T10:00:00Z');
beforeAll(async () => {
  t = await startTestApp({
    now: () => clock,
    sessionTtlMs: 12 * 3600_000,
    sessionIdleMs: 30 * 60_000,
  });
});
afterAll(async () => {
  await t.close();
});

const ROLES: Role[] = ['Administrator', 'ApplicationAdministrator', 'ReportsReader'];
const accountOf: Record<Role, string> = {
  Administrator: 'admin',
  ApplicationAdministrator: 'app-admin',
  ReportsReader: 'reader',
};

/** A fresh session of the role's account (each call may end it: sign-out). */
async function sessionOf(role: Role): Promise<string> {
  const account = await t.db.accounts.findAccountByUserName(accountOf[role]);
  if (!account) throw new Error(`no ${role} account`);
  const token = randomBytes(32).toString('base64url');
  await t.db.accounts.insertSession(
    hashSessionToken(token),
    account.id,
    new Date(clock.getTime() + 3600_000),
    clock,
  );
  return `provisio_session=${token}`;
}

/** A fresh API token of the role, straight into the database (the token routes are tested below). */
async function tokenOf(role: Role, over: { expiresAt?: Date; revoked?: boolean } = {}): Promise<string> {
  const token = `pvo_${randomBytes(32).toString('base64url')}`;
  const id = `tok-${randomBytes(6).toString('hex')}`;
  await t.db.tokens.insertToken({
    id,
    displayName: `${role} script`,
    role,
    tokenHash: hashSessionToken(token),
    createdBy: { id: 'x', userName: 'admin' },
    createdAt: clock.toISOString(),
    expiresAt: (over.expiresAt ?? new Date(clock.getTime() + 86_400_000)).toISOString(),
  });
  if (over.revoked) await t.db.tokens.revokeToken(id, clock);
  return token;
}

const concrete = (url: string) => url.replace(/:[A-Za-z]+/g, (p) => (p === ':jobId' ? 'scim.0' : NO_ID));

describe('the route table', () => {
  it('grants each kind of route to these roles (role × route kind)', () => {
    expect(ROLES_OF).toEqual({
      signedIn: ['Administrator', 'ApplicationAdministrator', 'ReportsReader'],
      read: ['Administrator', 'ApplicationAdministrator', 'ReportsReader'],
      manage: ['Administrator', 'ApplicationAdministrator'],
      admin: ['Administrator'],
    });
  });

  it('declares the access of every route beside it; only sign-in and the OpenAPI document are public', () => {
    expect(t.app.routeTable.length).toBeGreaterThan(50);
    expect(t.app.routeTable.filter((r) => !r.declared)).toEqual([]);
    expect(t.app.routeTable.filter((r) => r.access === 'public').map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining(['POST /api/auth/sign-in', 'GET /api/openapi.json']),
    );
    expect(t.app.routeTable.filter((r) => r.access === 'public')).toHaveLength(2);
    // Reports Readers change nothing: every route they may call reads.
    for (const r of t.app.routeTable.filter((x) => x.access === 'read')) expect(r.method).toBe('GET');
    // A provisioning configuration (settings, notification email) is exported and imported only by those who manage it.
    for (const r of t.app.routeTable.filter((x) => /\/configuration(\/|$)/.test(x.url)))
      expect(r.access, `${r.method} ${r.url}`).toBe('manage');
    expect(t.app.routeTable.filter((x) => /\/configuration(\/|$)/.test(x.url))).toHaveLength(3);
    // Accounts and tokens are for Administrators.
    for (const r of t.app.routeTable.filter((x) => /^\/api\/(accounts|tokens)/.test(x.url)))
      expect(r.access).toBe('admin');
  });

  it('covers the gallery: browsing is read access, adding an application from a template is manage access', () => {
    const accessOf = (method: string, url: string) =>
      t.app.routeTable.find((r) => r.method === method && r.url === url)?.access;
    expect(accessOf('GET', '/api/v1.0/applicationTemplates')).toBe('read');
    expect(accessOf('GET', '/api/v1.0/applicationTemplates/:id')).toBe('read');
    expect(accessOf('POST', '/api/v1.0/applicationTemplates/:id/instantiate')).toBe('manage');
    expect(accessOf('GET', '/api/v1.0/servicePrincipals/:id/synchronization/templates')).toBe('read');
  });

  it('answers 401 without credentials, with a made-up session, a revoked or an expired token', async () => {
    const revoked = await tokenOf('Administrator', { revoked: true });
    const expired = await tokenOf('Administrator', { expiresAt: new Date(clock.getTime() - 1000) });
    for (const route of t.app.routeTable.filter((r) => r.access !== 'public')) {
      for (const headers of [
        {},
        { cookie: 'provisio_session=not-a-real-session' },
        { authorization: `Bearer ${revoked}` },
        { authorization: `Bearer ${expired}` },
        { authorization: 'Bearer pvo_made-up' },
        { authorization: 'Basic YWRtaW46eA==' },
      ]) {
        const res = await t.app.inject({
          method: route.method as 'GET',
          url: concrete(route.url),
          headers,
          ...(route.method === 'GET' ? {} : { payload: {} }),
        });
        expect(res.statusCode, `${route.method} ${route.url} ${JSON.stringify(headers)}`).toBe(401);
        expect(['auth.unauthenticated', 'auth.invalid_token']).toContain(errorOf(res).code);
      }
    }
  });

  it('answers 403 to each role outside the route’s rights, and lets the others through, by session and by token', async () => {
    for (const route of t.app.routeTable.filter((r) => r.access !== 'public')) {
      const allowed = ROLES_OF[route.access as Exclude<typeof route.access, 'public'>];
      for (const role of ROLES) {
        for (const headers of [
          { cookie: await sessionOf(role) },
          { authorization: `Bearer ${await tokenOf(role)}` },
        ]) {
          const res = await t.app.inject({
            method: route.method as 'GET',
            url: concrete(route.url),
            headers,
            ...(route.method === 'GET' ? {} : { payload: {} }),
          });
          const what = `${role} ${Object.keys(headers)[0]} ${route.method} ${route.url}: ${res.statusCode} ${res.body.slice(0, 200)}`;
          if (allowed.includes(role)) {
            expect([401, 403], what).not.toContain(res.statusCode);
          } else {
            expect(res.statusCode, what).toBe(403);
            expect(errorOf(res).code, what).toBe('auth.forbidden');
          }
        }
      }
    }
  });
});

describe('API tokens', () => {
  it('created by an Administrator, shown once, used as a Bearer token, listed with its last use, revoked at once', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: { cookie: await sessionOf('Administrator') },
      payload: { displayName: 'CI pipeline', role: 'ApplicationAdministrator', expiresInDays: 30 },
    });
    expect(created.statusCode).toBe(201);
    const body = created.json<ApiTokenCreated>();
    expect(body).toMatchObject({
      displayName: 'CI pipeline',
      role: 'ApplicationAdministrator',
      state: 'active',
      createdBy: { userName: 'admin' },
      lastUsedDateTime: null,
    });
    expect(body.token).toMatch(/^pvo_[A-Za-z0-9_-]{40,}$/);
    expect(Date.parse(body.expirationDateTime) - clock.getTime()).toBe(30 * 86_400_000);
    // Only a hash is stored.
    expect(JSON.stringify(await t.sql.all('SELECT * FROM api_tokens'))).not.toContain(body.token);

    const bearer = { authorization: `Bearer ${body.token}` };
    const apps = await t.app.inject({ url: '/api/v1.0/servicePrincipals', headers: bearer });
    expect(apps.statusCode).toBe(200);
    // A token's write needs no Origin: scripts are not browsers.
    const user = await t.app.inject({
      method: 'POST',
      url: '/api/v1.0/users',
      headers: { ...bearer, origin: 'https://elsewhere.example' },
      payload: { userPrincipalName: 'token.made@contoso.com', displayName: 'Token Made' },
    });
    expect(user.statusCode).toBe(201);
    expect(
      (await auditEvents(t)).find(
        (e) =>
          e.activityDisplayName === 'Add user' &&
          e.targetResources[0]?.displayName === 'token.made@contoso.com',
      ),
    ).toMatchObject({
      initiatedBy: { user: null, app: { displayName: 'CI pipeline (API token)' } },
    });
    const accounts = await t.app.inject({ url: '/api/accounts', headers: bearer });
    expect(accounts.statusCode).toBe(403);
    expect(errorOf(accounts).message).toContain('Application Administrator');

    const listed = (
      await t.app.inject({ url: '/api/tokens', headers: { cookie: await sessionOf('Administrator') } })
    ).json<{
      value: ApiToken[];
    }>();
    const mine = listed.value.find((x) => x.id === body.id);
    expect(mine).toMatchObject({ lastUsedDateTime: clock.toISOString(), lastUsedFrom: '127.0.0.1' });
    expect(JSON.stringify(listed)).not.toContain(body.token);

    const revoke = await t.app.inject({
      method: 'DELETE',
      url: `/api/tokens/${body.id}`,
      headers: { cookie: await sessionOf('Administrator') },
    });
    expect(revoke.statusCode).toBe(204);
    const after = await t.app.inject({ url: '/api/v1.0/servicePrincipals', headers: bearer });
    expect(after.statusCode).toBe(401);
    expect(errorOf(after).code).toBe('auth.invalid_token');
    const activities = (await auditEvents(t)).map((e) => e.activityDisplayName);
    expect(activities).toEqual(expect.arrayContaining(['Add API token', 'Revoke API token']));
  });

  it('refuses a token without a name, with an unknown role or an expiry out of range, naming the field', async () => {
    for (const [payload, target] of [
      [{ displayName: '', role: 'ReportsReader', expiresInDays: 30 }, 'body/displayName'],
      [{ displayName: 'x', role: 'Owner', expiresInDays: 30 }, 'body/role'],
      [{ displayName: 'x', role: 'ReportsReader', expiresInDays: 0 }, 'body/expiresInDays'],
      [{ displayName: 'x', role: 'ReportsReader', expiresInDays: 366 }, 'body/expiresInDays'],
    ] as const) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/tokens',
        headers: { cookie: await sessionOf('Administrator') },
        payload,
      });
      expect(res.statusCode).toBe(400);
      expect(errorOf(res).details?.[0]?.target).toBe(target);
    }
  });

  it('an expired token stops working when its time comes', async () => {
    const token = await tokenOf('ReportsReader', { expiresAt: new Date(clock.getTime() + 60_000) });
    const call = () =>
      t.app.inject({
        url: '/api/v1.0/auditLogs/provisioning',
        headers: { authorization: `Bearer ${token}` },
      });
    expect((await call()).statusCode).toBe(200);
    clock = new Date(clock.getTime() + 61_000);
    expect((await call()).statusCode).toBe(401);
  });
});

describe('cross-site requests', () => {
  const write = async (headers: Record<string, string>, payload: string | object) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1.0/groups',
      headers: { cookie: await sessionOf('Administrator'), ...headers },
      payload,
    });

  it('refuses a cookie-authenticated write sent as text/plain, as a form, or from another origin', async () => {
    const json = JSON.stringify({ displayName: 'Forged' });
    for (const [headers, payload, code] of [
      [{ 'content-type': 'text/plain', origin: 'https://evil.example' }, json, 'auth.cross_site_request'],
      [
        { 'content-type': 'text/plain', origin: 'http://localhost:80' },
        json,
        'request.unsupported_media_type',
      ],
      [
        { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost:80' },
        'displayName=Forged',
        'request.unsupported_media_type',
      ],
      [
        { 'content-type': 'application/json', origin: 'https://evil.example' },
        json,
        'auth.cross_site_request',
      ],
      [{ 'content-type': 'application/json', origin: 'null' }, json, 'auth.cross_site_request'],
      [
        { 'content-type': 'application/json', referer: 'https://evil.example/page' },
        json,
        'auth.cross_site_request',
      ],
    ] as const) {
      const res = await write({ ...headers, ...('origin' in headers ? {} : { origin: '' }) }, payload);
      expect(res.statusCode, JSON.stringify(headers)).toBeGreaterThanOrEqual(403);
      expect(errorOf(res).code, JSON.stringify(headers)).toBe(code);
    }
    const groups = (
      await t.app.inject({
        url: '/api/v1.0/groups?$search=Forged',
        headers: { cookie: await sessionOf('Administrator') },
      })
    ).json<{
      value: unknown[];
    }>();
    expect(groups.value).toEqual([]);
  });

  it('carries out the same call from the portal’s own origin (Origin, or Referer when there is none)', async () => {
    const json = JSON.stringify({ displayName: 'From the portal' });
    const viaOrigin = await write({ 'content-type': 'application/json', origin: 'http://localhost' }, json);
    expect(viaOrigin.statusCode).toBe(201);
    const viaReferer = await write(
      { 'content-type': 'application/json', origin: '', referer: 'http://localhost/groups' },
      JSON.stringify({ displayName: 'From the portal too' }),
    );
    expect(viaReferer.statusCode).toBe(201);
  });
});

describe('sign-in audit and sessions', () => {
  it('records sign-ins, failures and a lockout with who and from where', async () => {
    await signIn(t.app, ADMIN);
    for (let i = 0; i < 5; i += 1) {
      await t.app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        headers: { 'user-agent': 'audit-test' },
        payload: { userName: 'reader', password: 'wrong password' },
      });
    }
    const events = (await auditEvents(t)).filter((e) => e.category === 'Authentication');
    expect(events.find((e) => e.result === 'success')).toMatchObject({
      activityDisplayName: 'Sign-in',
      initiatedBy: { user: { displayName: 'admin' } },
      additionalDetails: expect.arrayContaining([{ key: 'IpAddress', value: '127.0.0.1' }]),
    });
    expect(events.filter((e) => e.activityDisplayName === 'Sign-in' && e.result === 'failure')).toHaveLength(
      5,
    );
    expect(events.find((e) => e.activityDisplayName === 'Portal account locked out')).toMatchObject({
      result: 'failure',
      initiatedBy: { user: { displayName: 'reader' } },
      additionalDetails: expect.arrayContaining([{ key: 'UserAgent', value: 'audit-test' }]),
    });
  });

  it('a session ends after its idle period and at its absolute end', async () => {
    const cookie = await sessionOf('Administrator');
    const me = () => t.app.inject({ url: '/api/auth/me', headers: { cookie } });
    expect((await me()).statusCode).toBe(200);
    clock = new Date(clock.getTime() + 20 * 60_000);
    expect((await me()).statusCode).toBe(200);
    clock = new Date(clock.getTime() + 20 * 60_000);
    // Used 20 minutes ago: still alive (the idle period is 30 minutes).
    expect((await me()).statusCode).toBe(200);
    clock = new Date(clock.getTime() + 31 * 60_000);
    expect((await me()).statusCode).toBe(401);
  });

  it('Sign out everywhere ends every session of the account; a role change ends them too; the last Administrator keeps the role', async () => {
    const one = await sessionOf('ApplicationAdministrator');
    const two = await sessionOf('ApplicationAdministrator');
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-out-everywhere',
      headers: { cookie: one },
    });
    expect(out.statusCode).toBe(204);
    for (const cookie of [one, two])
      expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);

    const three = await sessionOf('ApplicationAdministrator');
    const id = (await t.db.accounts.findAccountByUserName('app-admin'))?.id as string;
    const changed = await t.app.inject({
      method: 'PATCH',
      url: `/api/accounts/${id}`,
      headers: { cookie: await sessionOf('Administrator') },
      payload: { role: 'ReportsReader' },
    });
    expect(changed.statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: three } })).statusCode).toBe(401);
    expect(
      (await auditEvents(t)).find((e) => e.activityDisplayName === 'Change portal account role'),
    ).toMatchObject({
      targetResources: [
        {
          modifiedProperties: [
            { displayName: 'role', oldValue: 'Application Administrator', newValue: 'Reports Reader' },
          ],
        },
      ],
    });
    await t.app.inject({
      method: 'PATCH',
      url: `/api/accounts/${id}`,
      headers: { cookie: await sessionOf('Administrator') },
      payload: { role: 'ApplicationAdministrator' },
    });

    const adminId = (await t.db.accounts.findAccountByUserName('admin'))?.id as string;
    const demote = await t.app.inject({
      method: 'PATCH',
      url: `/api/accounts/${adminId}`,
      headers: { cookie: await sessionOf('Administrator') },
      payload: { role: 'ReportsReader' },
    });
    expect(demote.statusCode).toBe(409);
    expect(errorOf(demote).code).toBe('account.last_administrator');
  });
});
