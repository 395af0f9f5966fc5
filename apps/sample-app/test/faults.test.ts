import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createUser,
  ENTERPRISE,
  entraUser,
  expectScimError,
  http,
  patchBody,
  scimClient,
  startApp,
  USER,
  type Running,
  type ScimClient,
} from './helpers';

let r: Running;
let c: ScimClient;

beforeAll(async () => {
  r = await startApp();
  c = scimClient(r);
});
afterAll(() => r.close());
afterEach(async () => {
  await c.admin('DELETE', '/admin/faults');
  await c.admin('POST', '/admin/reset');
});

async function setFaults(settings: Record<string, unknown>): Promise<void> {
  const res = await c.admin('PUT', '/admin/faults', settings);
  expect(res.status).toBe(200);
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

describe('fault switches', () => {
  it('are all off by default', async () => {
    const res = await c.admin('GET', '/admin/faults');
    expect(res.body).toEqual({
      latencyMs: 0,
      jitterMs: 0,
      errorRate: 0,
      errorStatus: 500,
      throttleRate: 0,
      throttleEvery: 0,
      retryAfterSeconds: 1,
      rateLimitPerSecond: 0,
      rateLimitBurst: 0,
      dropRate: 0,
      noPatch: 'off',
      rejectFilterAttributes: [],
      rejectEnterpriseExtension: 'off',
      noGroups: false,
    });
  });

  it('latency: a fixed delay on every SCIM request, none on the admin API', async () => {
    await setFaults({ latencyMs: 1000 });
    const [scim, admin] = await Promise.all([
      timed(() => c.get('/Users')),
      timed(() => c.admin('GET', '/admin/faults')),
    ]);
    expect(scim.value.status).toBe(200);
    expect(scim.ms).toBeGreaterThanOrEqual(995);
    expect(admin.ms).toBeLessThan(600);
  });

  it('jitter: a random extra delay up to jitterMs', async () => {
    await setFaults({ jitterMs: 200 });
    const times: number[] = [];
    for (let i = 0; i < 12; i++) times.push((await timed(() => c.get('/Users'))).ms);
    // Generous: a busy machine adds its own delay; what matters is the spread and no runaway.
    expect(Math.max(...times)).toBeLessThan(700);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(20);
  });

  it('error rate 1 with status 503: every request fails with a SCIM 503', async () => {
    await setFaults({ errorRate: 1, errorStatus: 503 });
    expectScimError(await c.get('/Users'), 503);
    expectScimError(await c.post('/Users', entraUser('x@example.com')), 503);
  });

  it('error rate 0.5: about half of the requests fail with 500', async () => {
    await setFaults({ errorRate: 0.5 });
    const statuses = await Promise.all(
      Array.from({ length: 200 }, () => c.get('/Users?count=1').then((x) => x.status)),
    );
    const failed = statuses.filter((s) => s === 500).length;
    expect(failed + statuses.filter((s) => s === 200).length).toBe(200);
    expect(failed).toBeGreaterThan(60);
    expect(failed).toBeLessThan(140);
  });

  it('429 rate 1: every request gets 429 with the configured Retry-After', async () => {
    await setFaults({ throttleRate: 1, retryAfterSeconds: 7 });
    const res = await c.get('/Users');
    expectScimError(res, 429);
    expect(res.headers.get('retry-after')).toBe('7');
  });

  it('429 every 3rd: the 3rd, 6th and 9th requests get 429, counted afresh whenever the switches are set', async () => {
    const statuses = async (n: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push((await c.get('/Users')).status);
      return out;
    };
    await setFaults({ throttleEvery: 3, retryAfterSeconds: 2 });
    expect(await statuses(9)).toEqual([200, 200, 429, 200, 200, 429, 200, 200, 429]);
    const res = await c.get('/Users');
    expect(res.status).toBe(200);
    await setFaults({ throttleEvery: 3, retryAfterSeconds: 2 });
    expect(await statuses(2)).toEqual([200, 200]);
    const third = await c.get('/Users');
    expectScimError(third, 429);
    expect(third.headers.get('retry-after')).toBe('2');
    await setFaults({ throttleEvery: 2 });
    expect(await statuses(4)).toEqual([200, 429, 200, 429]);
  });

  it('rate limit 50/s: 200 requests take about 4 s, the surplus gets 429 with Retry-After', async () => {
    await setFaults({ rateLimitPerSecond: 50 });
    let throttled = 0;
    let withRetryAfter = 0;
    const worker = async (n: number) => {
      for (let i = 0; i < n; i++) {
        for (;;) {
          const res = await c.get('/Users?count=1');
          if (res.status === 200) break;
          expect(res.status).toBe(429);
          throttled++;
          if (Number(res.headers.get('retry-after')) >= 1) withRetryAfter++;
          // Retry-After is in whole seconds; retrying sooner measures the limiter, not the client.
          await new Promise((done) => setTimeout(done, 10));
        }
      }
    };
    const { ms } = await timed(() => Promise.all(Array.from({ length: 4 }, () => worker(50))));
    // The bucket starts full (a burst of 5 at 50/s), so the other 195 need 3.9 s.
    expect(ms).toBeGreaterThan(3400);
    // Unlimited, the same 200 requests take well under a second; the slack is for a busy machine.
    expect(ms).toBeLessThan(6500);
    expect(throttled).toBeGreaterThan(0);
    expect(withRetryAfter).toBe(throttled);
  });

  it('dropped connections: the socket is destroyed without an answer and the log says so', async () => {
    await setFaults({ dropRate: 1 });
    await expect(
      fetch(`${r.scim}/Users`, { headers: { authorization: `Bearer ${r.token}` } }),
    ).rejects.toThrow();
    await setFaults({});
    const log = await c.admin('GET', '/admin/requests?limit=5');
    expect(
      log.body.requests.some(
        (e: { status: number; path: string }) => e.status === 0 && e.path === '/scim/v2/Users',
      ),
    ).toBe(true);
  });

  it('no-PATCH 405: PATCH answers 405 "PUT only" with Allow, PUT still works, discovery says patch unsupported', async () => {
    const id = await createUser(c, 'np@example.com');
    await setFaults({ noPatch: '405' });
    const res = await c.patch(`/Users/${id}`, patchBody({ op: 'replace', path: 'title', value: 'x' }));
    expectScimError(res, 405);
    expect(res.body.detail).toContain('PUT only');
    expect(res.headers.get('allow')).toBe('GET, PUT, DELETE');
    expect(
      (await c.put(`/Users/${id}`, { schemas: [USER], userName: 'np@example.com', title: 'x' })).status,
    ).toBe(200);
    expect((await c.get('/ServiceProviderConfig')).body.patch.supported).toBe(false);
  });

  it('no-PATCH 501: PATCH answers 501', async () => {
    const id = await createUser(c, 'np2@example.com');
    await setFaults({ noPatch: '501' });
    expectScimError(
      await c.patch(`/Users/${id}`, patchBody({ op: 'replace', path: 'title', value: 'x' })),
      501,
    );
  });

  it('rejected filter attributes: a filter naming one gets 400 invalidFilter, others still work', async () => {
    await setFaults({ rejectFilterAttributes: ['externalId', 'emails.value'] });
    expectScimError(await c.filter('Users', 'externalId eq "x"'), 400, 'invalidFilter');
    expectScimError(await c.filter('Users', 'EXTERNALID eq "x" and userName eq "y"'), 400, 'invalidFilter');
    expectScimError(await c.filter('Users', 'emails[value eq "x"]'), 400, 'invalidFilter');
    expect((await c.filter('Users', 'userName eq "x"')).status).toBe(200);
  });

  it('rejected enterprise extension (invalidValue): requests using it get 400, discovery drops it', async () => {
    const id = await createUser(c, 'plain@example.com');
    await setFaults({ rejectEnterpriseExtension: 'invalidValue' });
    expectScimError(await c.post('/Users', entraUser('ent@example.com')), 400, 'invalidValue');
    expectScimError(
      await c.patch(
        `/Users/${id}`,
        patchBody({ op: 'Replace', path: `${ENTERPRISE}:department`, value: 'x' }),
      ),
      400,
      'invalidValue',
    );
    expectScimError(
      await c.patch(
        `/Users/${id}`,
        patchBody({ op: 'replace', value: { [`${ENTERPRISE}:department`]: 'x' } }),
      ),
      400,
      'invalidValue',
    );
    expect((await c.post('/Users', { schemas: [USER], userName: 'core@example.com' })).status).toBe(201);
    const types = await c.get('/ResourceTypes/User');
    expect(types.body.schemaExtensions).toEqual([]);
    const schemas = await c.get('/Schemas');
    expect(schemas.body.Resources.map((s: { id: string }) => s.id)).not.toContain(ENTERPRISE);
  });

  it('rejected enterprise extension (invalidSyntax): the configured scimType is used', async () => {
    await setFaults({ rejectEnterpriseExtension: 'invalidSyntax' });
    expectScimError(await c.post('/Users', entraUser('ent2@example.com')), 400, 'invalidSyntax');
  });

  it('no groups: every /Groups request answers 404, discovery drops the Group type, users still work', async () => {
    const group = await c.post('/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'Kept',
    });
    expect(group.status).toBe(201);
    await setFaults({ noGroups: true });
    expectScimError(await c.get('/Groups'), 404);
    expectScimError(await c.get(`/Groups/${group.body.id}`), 404);
    expectScimError(
      await c.post('/Groups', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
        displayName: 'New',
      }),
      404,
    );
    expectScimError(
      await c.patch(
        `/Groups/${group.body.id}`,
        patchBody({ op: 'replace', path: 'displayName', value: 'x' }),
      ),
      404,
    );
    expectScimError(await c.get('/ResourceTypes/Group'), 404);
    const types = await c.get('/ResourceTypes');
    expect(types.body.Resources.map((t: { id: string }) => t.id)).toEqual(['User']);
    const schemas = await c.get('/Schemas');
    expect(schemas.body.Resources.map((s: { id: string }) => s.id)).not.toContain(
      'urn:ietf:params:scim:schemas:core:2.0:Group',
    );
    expect((await c.post('/Users', { schemas: [USER], userName: 'nogroups@example.com' })).status).toBe(201);
    await setFaults({ noGroups: 'false' });
    expect((await c.get(`/Groups/${group.body.id}`)).body.displayName).toBe('Kept');
  });

  it('apply to /scim/v2 only: the page and the admin API keep working', async () => {
    await setFaults({ errorRate: 1, throttleRate: 1, dropRate: 1 });
    expect((await http('GET', `${r.origin}/`)).status).toBe(200);
    expect((await c.admin('GET', '/admin/requests')).status).toBe(200);
    expect((await c.admin('GET', '/admin/faults')).body.errorRate).toBe(1);
  });

  it('PUT replaces all settings, PATCH merges, DELETE turns all off', async () => {
    await setFaults({ latencyMs: 5, errorRate: 0.1 });
    const patched = await c.admin('PATCH', '/admin/faults', { throttleRate: 0.2 });
    expect(patched.body).toMatchObject({ latencyMs: 5, errorRate: 0.1, throttleRate: 0.2 });
    const put = await c.admin('PUT', '/admin/faults', { jitterMs: 3 });
    expect(put.body).toMatchObject({ latencyMs: 0, errorRate: 0, throttleRate: 0, jitterMs: 3 });
    const off = await c.admin('DELETE', '/admin/faults');
    expect(off.body.jitterMs).toBe(0);
  });

  it('reject invalid settings with 400 naming the field', async () => {
    const bad = await c.admin('PUT', '/admin/faults', { errorRate: 2 });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'faults.invalid_setting', details: { field: 'errorRate' } });
    const unknown = await c.admin('PUT', '/admin/faults', { explode: true });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.field).toBe('explode');
    expect((await c.admin('PUT', '/admin/faults', { noPatch: '404' })).status).toBe(400);
    const noGroups = await c.admin('PUT', '/admin/faults', { noGroups: 'sometimes' });
    expect(noGroups.status).toBe(400);
    expect(noGroups.body.error.details.field).toBe('noGroups');
  });
});
