import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createGroup,
  createUser,
  ENTERPRISE,
  entraUser,
  expectScimError,
  LIST,
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
beforeEach(async () => {
  await c.admin('POST', '/admin/reset');
});

describe('POST /Users', () => {
  it('creates a user with a server id, meta, Location and ETag headers', async () => {
    const res = await c.post('/Users', entraUser('alice@example.com'));
    expect(res.status).toBe(201);
    const u = res.body;
    expect(u.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(u.externalId).toBe('alice');
    expect(u.schemas).toEqual([USER]);
    expect(u.meta).toMatchObject({
      resourceType: 'User',
      version: 'W/"1"',
      location: `${r.scim}/Users/${u.id}`,
    });
    expect(Date.parse(u.meta.created)).not.toBeNaN();
    expect(u.meta.lastModified).toBe(u.meta.created);
    expect(res.headers.get('location')).toBe(u.meta.location);
    expect(res.headers.get('etag')).toBe('W/"1"');
    expect(u.emails).toEqual([{ value: 'alice@example.com', type: 'work', primary: true }]);
  });

  it('ignores a client-sent id and meta', async () => {
    const res = await c.post('/Users', {
      ...entraUser('bob@example.com'),
      id: 'mine',
      meta: { version: 'W/"9"' },
    });
    expect(res.status).toBe(201);
    expect(res.body.id).not.toBe('mine');
    expect(res.body.meta.version).toBe('W/"1"');
  });

  it('keeps the enterprise extension: employeeNumber, department, costCenter, organization, division, manager', async () => {
    const managerId = await createUser(c, 'boss@example.com');
    const res = await c.post(
      '/Users',
      entraUser('carol@example.com', {
        [ENTERPRISE]: {
          employeeNumber: '42',
          department: 'Sales',
          costCenter: 'CC1',
          organization: 'Contoso',
          division: 'West',
          manager: { value: managerId },
        },
      }),
    );
    expect(res.status).toBe(201);
    expect(res.body.schemas).toEqual([USER, ENTERPRISE]);
    expect(res.body[ENTERPRISE]).toEqual({
      employeeNumber: '42',
      costCenter: 'CC1',
      organization: 'Contoso',
      division: 'West',
      department: 'Sales',
      manager: { value: managerId, $ref: `${r.scim}/Users/${managerId}`, displayName: 'boss@example.com' },
    });
  });

  it('requires userName (400 invalidValue)', async () => {
    expectScimError(await c.post('/Users', { schemas: [USER], displayName: 'No Name' }), 400, 'invalidValue');
  });

  it('rejects a second user with the same userName in another case (409 uniqueness)', async () => {
    await createUser(c, 'dave@example.com');
    expectScimError(await c.post('/Users', entraUser('DAVE@Example.com')), 409, 'uniqueness');
  });

  it('matches attribute names case-insensitively and stores them canonically', async () => {
    const res = await c.post('/Users', {
      schemas: [USER],
      USERNAME: 'erin@example.com',
      Name: { GivenName: 'Erin' },
      ACTIVE: 'True',
      Emails: [{ Value: 'erin@example.com', TYPE: 'work' }],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      userName: 'erin@example.com',
      name: { givenName: 'Erin' },
      active: true,
      emails: [{ value: 'erin@example.com', type: 'work' }],
    });
  });

  it('accepts a password and never returns it', async () => {
    const res = await c.post('/Users', entraUser('frank@example.com', { password: 'hunter2' }));
    expect(res.status).toBe(201);
    expect(res.text).not.toContain('hunter2');
    expect((await c.get(`/Users/${res.body.id}`)).text).not.toContain('hunter2');
  });

  it('rejects an unsupported schema and a second primary email (400 invalidValue)', async () => {
    expectScimError(
      await c.post('/Users', { schemas: [USER, 'urn:example:custom'], userName: 'x@example.com' }),
      400,
      'invalidValue',
    );
    const twoPrimaries = entraUser('y@example.com', {
      emails: [
        { value: 'a@example.com', primary: true },
        { value: 'b@example.com', primary: true },
      ],
    });
    expectScimError(await c.post('/Users', twoPrimaries), 400, 'invalidValue');
  });
});

describe('GET /Users/{id}', () => {
  it('returns the user with an ETag', async () => {
    const id = await createUser(c, 'gina@example.com');
    const res = await c.get(`/Users/${id}`);
    expect(res.status).toBe(200);
    expect(res.body.userName).toBe('gina@example.com');
    expect(res.headers.get('etag')).toBe('W/"1"');
  });

  it('answers an unknown id with a SCIM 404 whose status is the string "404"', async () => {
    const res = await c.get('/Users/00000000-0000-0000-0000-000000000000');
    expectScimError(res, 404);
    expect(res.body.status).toBe('404');
  });

  it('answers 304 when If-None-Match carries the current version', async () => {
    const id = await createUser(c, 'hank@example.com');
    expect((await c.get(`/Users/${id}`, { 'if-none-match': 'W/"1"' })).status).toBe(304);
    expect((await c.get(`/Users/${id}`, { 'if-none-match': 'W/"0"' })).status).toBe(200);
  });

  it('returns only the requested attributes (plus id and schemas) with ?attributes=', async () => {
    const id = await createUser(c, 'ivy@example.com', {
      [ENTERPRISE]: { department: 'Ops', costCenter: 'C' },
    });
    const res = await c.get(`/Users/${id}?attributes=userName,name.givenName,${ENTERPRISE}:department`);
    expect(res.body).toEqual({
      schemas: [USER, ENTERPRISE],
      id,
      userName: 'ivy@example.com',
      name: { givenName: 'Test' },
      [ENTERPRISE]: { department: 'Ops' },
    });
  });

  it('leaves out attributes listed in ?excludedAttributes=', async () => {
    const id = await createUser(c, 'jack@example.com');
    const res = await c.get(`/Users/${id}?excludedAttributes=emails,meta,name.familyName`);
    expect(res.body.emails).toBeUndefined();
    expect(res.body.meta).toBeUndefined();
    expect(res.body.name).toEqual({ formatted: 'Test User', givenName: 'Test' });
    expect(res.body.id).toBe(id);
  });

  it("lists the user's groups as a read-only attribute", async () => {
    const id = await createUser(c, 'kim@example.com');
    const gid = await createGroup(c, 'Readers', [id]);
    const res = await c.get(`/Users/${id}`);
    expect(res.body.groups).toEqual([
      { value: gid, $ref: `${r.scim}/Groups/${gid}`, display: 'Readers', type: 'direct' },
    ]);
  });
});

describe('PUT /Users/{id}', () => {
  it('replaces the user: attributes not sent are removed, id and created stay, version moves on', async () => {
    const created = (await c.post('/Users', entraUser('lee@example.com', { title: 'Engineer' }))).body;
    const res = await c.put(`/Users/${created.id}`, {
      schemas: [USER],
      userName: 'lee@example.com',
      displayName: 'Lee',
    });
    expect(res.status).toBe(200);
    expect(res.body.title).toBeUndefined();
    expect(res.body.emails).toBeUndefined();
    expect(res.body.displayName).toBe('Lee');
    expect(res.body.id).toBe(created.id);
    expect(res.body.meta.created).toBe(created.meta.created);
    expect(res.body.meta.version).toBe('W/"2"');
    expect(res.headers.get('etag')).toBe('W/"2"');
  });

  it("answers 409 when the new userName is another user's", async () => {
    await createUser(c, 'max@example.com');
    const id = await createUser(c, 'ned@example.com');
    expectScimError(
      await c.put(`/Users/${id}`, { schemas: [USER], userName: 'Max@example.com' }),
      409,
      'uniqueness',
    );
  });

  it('answers 404 for an unknown id', async () => {
    expectScimError(await c.put('/Users/nope', { schemas: [USER], userName: 'x@example.com' }), 404);
  });
});

describe('DELETE /Users/{id}', () => {
  it('deletes (204), then the user is gone (404) and a second delete is 404', async () => {
    const id = await createUser(c, 'olga@example.com');
    const res = await c.delete(`/Users/${id}`);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expectScimError(await c.get(`/Users/${id}`), 404);
    expectScimError(await c.delete(`/Users/${id}`), 404);
  });
});

describe('ETag preconditions', () => {
  it('answers 412 when If-Match does not carry the current version, on PUT, PATCH and DELETE', async () => {
    const id = await createUser(c, 'pat@example.com');
    const stale = { 'if-match': 'W/"7"' };
    expectScimError(
      await c.put(`/Users/${id}`, { schemas: [USER], userName: 'pat@example.com' }, stale),
      412,
    );
    const patch = {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'title', value: 'x' }],
    };
    expectScimError(await c.patch(`/Users/${id}`, patch, stale), 412);
    expectScimError(await c.delete(`/Users/${id}`, stale), 412);
    expect((await c.patch(`/Users/${id}`, patch, { 'if-match': 'W/"1"' })).status).toBe(200);
    expect((await c.delete(`/Users/${id}`, { 'if-match': '*' })).status).toBe(204);
  });
});

describe('GET /Users paging', () => {
  beforeEach(async () => {
    for (let i = 1; i <= 25; i++) await createUser(c, `user${String(i).padStart(2, '0')}@example.com`);
  });

  it('pages with startIndex and count, with totalResults and itemsPerPage', async () => {
    const res = await c.get('/Users?startIndex=11&count=10');
    expect(res.status).toBe(200);
    expect(res.body.schemas).toEqual([LIST]);
    expect(res.body.totalResults).toBe(25);
    expect(res.body.startIndex).toBe(11);
    expect(res.body.itemsPerPage).toBe(10);
    expect(res.body.Resources.map((u: { userName: string }) => u.userName)).toEqual(
      Array.from({ length: 10 }, (_, i) => `user${String(i + 11).padStart(2, '0')}@example.com`),
    );
  });

  it('returns the last partial page and an empty page past the end', async () => {
    const last = await c.get('/Users?startIndex=21&count=10');
    expect(last.body).toMatchObject({ totalResults: 25, itemsPerPage: 5, startIndex: 21 });
    const past = await c.get('/Users?startIndex=100&count=10');
    expect(past.body).toMatchObject({ totalResults: 25, itemsPerPage: 0, Resources: [] });
  });

  it('answers count=0 with totalResults only', async () => {
    const res = await c.get('/Users?count=0');
    expect(res.body).toMatchObject({ totalResults: 25, itemsPerPage: 0, Resources: [] });
  });

  it('treats startIndex below 1 as 1 and pages filtered results too', async () => {
    const res = await c.get(
      `/Users?startIndex=0&count=2&filter=${encodeURIComponent('userName sw "user1"')}`,
    );
    expect(res.body.startIndex).toBe(1);
    expect(res.body.totalResults).toBe(10);
    expect(res.body.Resources.map((u: { userName: string }) => u.userName)).toEqual([
      'user10@example.com',
      'user11@example.com',
    ]);
  });

  it('answers a non-integer count with 400 invalidValue', async () => {
    expectScimError(await c.get('/Users?count=ten'), 400, 'invalidValue');
  });

  it('supports POST /Users/.search with the same parameters', async () => {
    const res = await c.post('/Users/.search', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
      filter: 'userName ew "5@example.com"',
      attributes: ['userName'],
      startIndex: 1,
      count: 10,
    });
    expect(res.status).toBe(200);
    expect(res.body.totalResults).toBe(3);
    expect(Object.keys(res.body.Resources[0]).sort()).toEqual(['id', 'schemas', 'userName']);
  });
});
