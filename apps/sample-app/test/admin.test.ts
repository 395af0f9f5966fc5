import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createGroup,
  createUser,
  ENTERPRISE,
  entraUser,
  http,
  scimClient,
  startApp,
  USER,
  type Running,
  type ScimClient,
} from './helpers';

let r: Running;
let c: ScimClient;

beforeAll(async () => {
  r = await startApp({ requestLog: { maxRows: 30 } });
  c = scimClient(r);
});
afterAll(() => r.close());
beforeEach(async () => {
  await c.admin('POST', '/admin/reset');
});

describe('request log', () => {
  it('records method, path, query, body, status, duration and time, newest first', async () => {
    await c.post('/Users', entraUser('log@example.com'));
    await c.filter('Users', 'userName eq "log@example.com"');
    const res = await c.admin('GET', '/admin/requests');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ enabled: true, maxRows: 30, total: 2, limit: 100, offset: 0 });
    const [newest, oldest] = res.body.requests;
    expect(newest).toMatchObject({ method: 'GET', path: '/scim/v2/Users', status: 200, body: null });
    expect(decodeURIComponent(newest.query)).toBe('filter=userName eq "log@example.com"');
    expect(oldest).toMatchObject({ method: 'POST', path: '/scim/v2/Users', query: '', status: 201 });
    expect(oldest.body.userName).toBe('log@example.com');
    expect(oldest.headers['content-type']).toBe('application/scim+json');
    expect(typeof oldest.durationMs).toBe('number');
    expect(Date.parse(oldest.time)).toBeLessThanOrEqual(Date.parse(newest.time));
    expect(newest.id).toBeGreaterThan(oldest.id);
  });

  it('never keeps the bearer token, wherever it appears', async () => {
    await c.post('/Users', entraUser('secret@example.com', { title: r.token }));
    await http('GET', `${r.scim}/Users?x=${r.token}`, { headers: { authorization: 'Bearer wrong-token' } });
    const res = await c.admin('GET', '/admin/requests');
    expect(res.text).not.toContain(r.token);
    expect(res.text).not.toContain('wrong-token');
    expect(res.body.requests[1].headers.authorization).toBe('Bearer [redacted]');
    expect(res.body.requests[1].body.title).toBe('[redacted]');
    expect(res.body.requests[0].status).toBe(401);
  });

  it('pages with limit and offset', async () => {
    for (let i = 0; i < 5; i++) await c.get(`/Users?count=${i}`);
    const page = await c.admin('GET', '/admin/requests?limit=2&offset=1');
    expect(page.body.total).toBe(5);
    expect(page.body.requests.map((e: { query: string }) => e.query)).toEqual(['count=3', 'count=2']);
    expect((await c.admin('GET', '/admin/requests?limit=0')).status).toBe(400);
  });

  it('is bounded: only the newest maxRows entries are kept', async () => {
    for (let i = 0; i < 50; i++) await c.get(`/Users?count=${i}`);
    const res = await c.admin('GET', '/admin/requests?limit=100');
    expect(res.body.total).toBe(30);
    expect(res.body.requests[0].query).toBe('count=49');
    expect(res.body.requests[29].query).toBe('count=20');
  });

  it('DELETE /admin/requests empties it', async () => {
    await c.get('/Users');
    expect((await c.admin('DELETE', '/admin/requests')).status).toBe(204);
    expect((await c.admin('GET', '/admin/requests')).body.total).toBe(0);
  });

  it('does not log admin or page requests', async () => {
    await c.admin('GET', '/admin/faults');
    await http('GET', `${r.origin}/`);
    expect((await c.admin('GET', '/admin/requests')).body.total).toBe(0);
  });
});

describe('admin API', () => {
  it('POST /admin/reset deletes users, groups and the request log', async () => {
    const u = await createUser(c, 'reset@example.com');
    await createGroup(c, 'Reset', [u]);
    expect((await c.admin('POST', '/admin/reset')).status).toBe(204);
    expect((await c.get('/Users')).body.totalResults).toBe(0);
    expect((await c.get('/Groups')).body.totalResults).toBe(0);
    const log = await c.admin('GET', '/admin/requests');
    expect(log.body.total).toBe(2);
    const stats = await c.admin('GET', '/admin/stats');
    expect(stats.body).toMatchObject({ users: 0, groups: 0 });
  });

  it('refuses writes from another origin (403)', async () => {
    const res = await http('POST', `${r.origin}/admin/reset`, { headers: { origin: 'http://evil.example' } });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('admin.cross_origin');
    const same = await http('POST', `${r.origin}/admin/reset`, { headers: { origin: r.origin } });
    expect(same.status).toBe(204);
  });

  it('answers unknown admin routes with the project error shape', async () => {
    const res = await http('GET', `${r.origin}/admin/nope`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('route.not_found');
  });
});

describe('page', () => {
  it('shows accounts, groups with members, the request log and the fault form, escaped, without the token', async () => {
    const evil = '<script>alert(1)</script>@example.com';
    const u = await createUser(c, evil, {
      displayName: 'Eve "Q" <b>',
      [ENTERPRISE]: { department: 'R&D' },
      title: r.token,
    });
    await createUser(c, 'plain@example.com');
    await createGroup(c, 'Group <i>One</i>', [u]);
    await c.patch(`/Users/${u}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    const res = await http('GET', `${r.origin}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = res.text;
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;@example.com');
    expect(html).toContain('Eve &quot;Q&quot; &lt;b&gt;');
    expect(html).toContain('R&amp;D');
    expect(html).toContain('Group &lt;i&gt;One&lt;/i&gt;');
    expect(html).toContain('plain@example.com');
    expect(html).toContain(u);
    expect(html).toMatch(/<td>false<\/td>/);
    expect(html).toContain('PATCH');
    expect(html).toContain('name="rateLimitPerSecond"');
    expect(html).not.toContain(r.token);
    expect((await http('GET', `${r.origin}/assets/page.js`)).status).toBe(200);
  });

  it("shows each account's roles: as created, and as Entra's single-role PATCH Add sends them (a JSON string)", async () => {
    const u = await createUser(c, 'roles@example.com', {
      roles: [{ primary: true, type: 'WindowsAzureActiveDirectoryRole', value: 'Admin' }],
    });
    await c.patch(`/Users/${u}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [
        {
          op: 'Add',
          path: 'roles',
          value: [{ value: JSON.stringify({ id: 'r2', value: 'Reviewer', displayName: 'Code <reviewer>' }) }],
        },
      ],
    });
    const html = (await http('GET', `${r.origin}/`)).text;
    expect(html).toContain('<th>roles</th>');
    expect(html).toContain('<td>Admin (primary), Reviewer</td>');
  });

  it('says what to do when there is nothing yet', async () => {
    const html = (await http('GET', `${r.origin}/`)).text;
    expect(html).toContain('No accounts yet');
    expect(html).toContain('No groups yet');
    expect(html).toContain('No SCIM requests yet');
  });
});

describe('request log off', () => {
  it('records nothing and says it is off', async () => {
    const off = await startApp({ requestLog: { enabled: false } });
    try {
      const oc = scimClient(off);
      expect((await oc.post('/Users', { schemas: [USER], userName: 'quiet@example.com' })).status).toBe(201);
      const res = await oc.admin('GET', '/admin/requests');
      expect(res.body).toMatchObject({ enabled: false, total: 0, requests: [] });
    } finally {
      await off.close();
    }
  });
});
