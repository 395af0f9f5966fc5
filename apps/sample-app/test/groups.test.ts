import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createGroup,
  createUser,
  expectScimError,
  GROUP,
  LEGACY_GROUP,
  scimClient,
  startApp,
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

describe('Groups', () => {
  it('creates a group the way Entra does: legacy schema URN beside the core one, no members', async () => {
    const res = await c.post('/Groups', {
      schemas: [GROUP, LEGACY_GROUP],
      externalId: 'g-1',
      displayName: 'Finance',
      meta: { resourceType: 'Group' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ schemas: [GROUP], externalId: 'g-1', displayName: 'Finance' });
    expect(res.body.members).toBeUndefined();
    expect(res.body.meta).toMatchObject({
      resourceType: 'Group',
      version: 'W/"1"',
      location: `${r.scim}/Groups/${res.body.id}`,
    });
    expect(res.headers.get('location')).toBe(res.body.meta.location);
  });

  it('requires displayName and keeps it unique regardless of case (409 uniqueness)', async () => {
    expectScimError(await c.post('/Groups', { schemas: [GROUP] }), 400, 'invalidValue');
    await createGroup(c, 'Finance');
    expectScimError(await c.post('/Groups', { schemas: [GROUP], displayName: 'FINANCE' }), 409, 'uniqueness');
  });

  it('returns members with value, $ref, display and type', async () => {
    const u = await createUser(c, 'ann@example.com');
    const inner = await createGroup(c, 'Inner');
    const gid = await createGroup(c, 'Outer', [u, inner]);
    const res = await c.get(`/Groups/${gid}`);
    expect(res.body.members).toEqual(
      expect.arrayContaining([
        { value: u, $ref: `${r.scim}/Users/${u}`, display: 'ann@example.com', type: 'User' },
        { value: inner, $ref: `${r.scim}/Groups/${inner}`, display: 'Inner', type: 'Group' },
      ]),
    );
    expect(res.body.members).toHaveLength(2);
  });

  it('leaves members out with excludedAttributes=members, on GET by id and on a filtered list', async () => {
    const u = await createUser(c, 'bob@example.com');
    const gid = await createGroup(c, 'Big', [u]);
    const one = await c.get(`/Groups/${gid}?excludedAttributes=members`);
    expect(one.body.members).toBeUndefined();
    expect(one.body.displayName).toBe('Big');
    const list = await c.filter('Groups', 'displayName eq "Big"', '&excludedAttributes=members');
    expect(list.body.Resources[0].members).toBeUndefined();
    expect(list.body.Resources[0].id).toBe(gid);
  });

  it('rejects a member id that is neither a user nor a group (400 invalidValue)', async () => {
    const res = await c.post('/Groups', {
      schemas: [GROUP],
      displayName: 'Ghosts',
      members: [{ value: 'no-such-id' }],
    });
    expectScimError(res, 400, 'invalidValue');
  });

  it('PUT replaces the member list', async () => {
    const a = await createUser(c, 'a@example.com');
    const b = await createUser(c, 'b@example.com');
    const gid = await createGroup(c, 'Team', [a]);
    const res = await c.put(`/Groups/${gid}`, {
      schemas: [GROUP],
      displayName: 'Team',
      members: [{ value: b }],
    });
    expect(res.status).toBe(200);
    expect(res.body.members.map((m: { value: string }) => m.value)).toEqual([b]);
    expect(res.body.meta.version).toBe('W/"2"');
  });

  it('deleting a user removes it from its groups', async () => {
    const a = await createUser(c, 'gone@example.com');
    const b = await createUser(c, 'stays@example.com');
    const gid = await createGroup(c, 'Team', [a, b]);
    expect((await c.delete(`/Users/${a}`)).status).toBe(204);
    const res = await c.get(`/Groups/${gid}`);
    expect(res.body.members.map((m: { value: string }) => m.value)).toEqual([b]);
  });

  it('DELETE removes the group (204) and answers 404 afterwards', async () => {
    const gid = await createGroup(c, 'Temp');
    expect((await c.delete(`/Groups/${gid}`)).status).toBe(204);
    expectScimError(await c.get(`/Groups/${gid}`), 404);
  });

  it("shows each listed user's groups", async () => {
    const a = await createUser(c, 'la@example.com');
    const b = await createUser(c, 'lb@example.com');
    await createUser(c, 'lc@example.com');
    const g1 = await createGroup(c, 'Alpha', [a, b]);
    const g2 = await createGroup(c, 'Beta', [a]);
    const res = await c.get('/Users?count=10');
    const groupsOf = (userName: string) =>
      res.body.Resources.find((u: { userName: string }) => u.userName === userName).groups?.map(
        (g: { value: string }) => g.value,
      );
    expect(groupsOf('la@example.com')).toEqual([g1, g2]);
    expect(groupsOf('lb@example.com')).toEqual([g1]);
    expect(groupsOf('lc@example.com')).toBeUndefined();
  });

  it('lists groups with paging and filters on members.value', async () => {
    const u = await createUser(c, 'm@example.com');
    for (const name of ['G1', 'G2', 'G3']) await createGroup(c, name, name === 'G2' ? [u] : []);
    const page = await c.get('/Groups?startIndex=2&count=1');
    expect(page.body).toMatchObject({ totalResults: 3, itemsPerPage: 1, startIndex: 2 });
    expect(page.body.Resources[0].displayName).toBe('G2');
    const withMember = await c.filter('Groups', `members[value eq "${u}"]`);
    expect(withMember.body.Resources.map((g: { displayName: string }) => g.displayName)).toEqual(['G2']);
  });
});

describe('a group with more members than a response carries', () => {
  let small: Running;
  let client: ScimClient;
  beforeAll(async () => {
    small = await startApp({ maxMembersReturned: 3 });
    client = scimClient(small);
  });
  afterAll(() => small.close());

  it('is answered 400 tooMany unless its members are left out; PATCH still manages them', async () => {
    const users = await Promise.all(['a', 'b', 'c', 'd'].map((n) => createUser(client, `${n}@contoso.com`)));
    const id = await createGroup(client, 'Big', users.slice(0, 3));
    expect((await client.get(`/Groups/${id}`)).status).toBe(200);
    const add = await client.patch(`/Groups/${id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'Add', path: 'members', value: [{ value: users[3] }] }],
    });
    expect(add.status).toBe(204);
    const refused = await client.get(`/Groups/${id}`);
    expectScimError(refused, 400, 'tooMany');
    expect(refused.body.detail).toContain('excludedAttributes=members');
    expectScimError(await client.get('/Groups'), 400, 'tooMany');
    const bounded = await client.get(`/Groups/${id}?excludedAttributes=members`);
    expect(bounded.status).toBe(200);
    expect(bounded.body).toMatchObject({ id, displayName: 'Big' });
    expect(bounded.body.members).toBeUndefined();
    const listed = await client.get(
      `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "Big"')}`,
    );
    expect(listed.body.Resources).toHaveLength(1);
  });
});

describe('a write to a group with more members than a response carries', () => {
  let small: Running;
  let client: ScimClient;
  beforeAll(async () => {
    small = await startApp({ maxMembersReturned: 1 });
    client = scimClient(small);
  });
  afterAll(() => small.close());

  it('is carried out and answered without the members, instead of failing after the fact', async () => {
    const users = await Promise.all(['a', 'b'].map((n) => createUser(client, `${n}@contoso.com`)));
    const id = await createGroup(client, 'Pair', users.slice(0, 1));
    const res = await client.patch(`/Groups/${id}?attributes=displayName,members`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'Add', path: 'members', value: [{ value: users[1] }] }],
    });
    expect(res.status).toBe(200);
    expect(res.body.members).toBeUndefined();
    expectScimError(await client.get(`/Groups/${id}`), 400, 'tooMany');
  });
});
