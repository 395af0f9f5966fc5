import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createGroup,
  createUser,
  ENTERPRISE,
  expectScimError,
  patchBody,
  scimClient,
  startApp,
  USER,
  type Running,
  type ScimClient,
} from './helpers';

let r: Running;
let c: ScimClient;
let id: string;

beforeAll(async () => {
  r = await startApp();
  c = scimClient(r);
});
afterAll(() => r.close());
beforeEach(async () => {
  await c.admin('POST', '/admin/reset');
  id = await createUser(c, 'pat@example.com', {
    displayName: 'Pat',
    title: 'Engineer',
    emails: [
      { value: 'pat@example.com', type: 'work', primary: true },
      { value: 'pat@home.example', type: 'home' },
    ],
    [ENTERPRISE]: { department: 'Engineering', costCenter: 'CC-1' },
  });
});

async function patchUser(...ops: Record<string, unknown>[]) {
  return c.patch(`/Users/${id}`, patchBody(...ops));
}
async function current() {
  return (await c.get(`/Users/${id}`)).body;
}

describe('PATCH (RFC 7644 §3.5.2)', () => {
  it('replace with a path sets a simple attribute and returns the resource with a new version', async () => {
    const res = await patchUser({ op: 'replace', path: 'displayName', value: 'Patricia' });
    expect(res.status).toBe(200);
    expect(res.body.displayName).toBe('Patricia');
    expect(res.body.meta.version).toBe('W/"2"');
    expect(res.headers.get('etag')).toBe('W/"2"');
  });

  it('replace of a sub-attribute leaves the other sub-attributes alone', async () => {
    await patchUser({ op: 'replace', path: 'name.givenName', value: 'Patty' });
    expect((await current()).name).toEqual({
      formatted: 'Test User',
      familyName: 'User',
      givenName: 'Patty',
    });
  });

  it('add to a multi-valued attribute appends', async () => {
    await patchUser({ op: 'add', path: 'phoneNumbers', value: [{ value: '+1 555', type: 'work' }] });
    await patchUser({ op: 'add', path: 'phoneNumbers', value: [{ value: '+1 666', type: 'mobile' }] });
    expect((await current()).phoneNumbers).toEqual([
      { value: '+1 555', type: 'work' },
      { value: '+1 666', type: 'mobile' },
    ]);
  });

  it('replace of a multi-valued attribute replaces all values', async () => {
    await patchUser({ op: 'replace', path: 'emails', value: [{ value: 'new@example.com', type: 'work' }] });
    expect((await current()).emails).toEqual([{ value: 'new@example.com', type: 'work' }]);
  });

  it('remove with a path unassigns the attribute', async () => {
    await patchUser({ op: 'remove', path: 'title' });
    expect((await current()).title).toBeUndefined();
  });

  it('replace with a value filter: emails[type eq "work"].value', async () => {
    await patchUser({ op: 'replace', path: 'emails[type eq "work"].value', value: 'pat@new.example' });
    expect((await current()).emails).toEqual([
      { value: 'pat@new.example', type: 'work', primary: true },
      { value: 'pat@home.example', type: 'home' },
    ]);
  });

  it('remove with a value filter removes only the matching values', async () => {
    await patchUser({ op: 'remove', path: 'emails[type eq "home"]' });
    expect((await current()).emails).toEqual([{ value: 'pat@example.com', type: 'work', primary: true }]);
  });

  it('add without a path merges the attributes of the value', async () => {
    await patchUser({ op: 'add', value: { nickName: 'P', name: { middleName: 'Q' } } });
    const u = await current();
    expect(u.nickName).toBe('P');
    expect(u.name).toMatchObject({ givenName: 'Test', middleName: 'Q' });
  });

  it('extension attributes by URN-prefixed path', async () => {
    await patchUser({ op: 'replace', path: `${ENTERPRISE}:department`, value: 'Sales' });
    await patchUser({ op: 'remove', path: `${ENTERPRISE}:costCenter` });
    expect((await current())[ENTERPRISE]).toEqual({ department: 'Sales' });
  });

  it('applies several operations in order in one request', async () => {
    const res = await patchUser(
      { op: 'replace', path: 'title', value: 'Lead' },
      { op: 'add', path: 'nickName', value: 'Patster' },
      { op: 'remove', path: 'nickName' },
    );
    expect(res.body.title).toBe('Lead');
    expect(res.body.nickName).toBeUndefined();
  });

  it('changes nothing when one operation fails', async () => {
    const res = await patchUser(
      { op: 'replace', path: 'title', value: 'Changed' },
      { op: 'replace', path: 'shoeSize', value: 9 },
    );
    expectScimError(res, 400, 'invalidPath');
    const u = await current();
    expect(u.title).toBe('Engineer');
    expect(u.meta.version).toBe('W/"1"');
  });

  it('keeps the version when a PATCH changes nothing', async () => {
    const res = await patchUser({ op: 'replace', path: 'title', value: 'Engineer' });
    expect(res.body.meta.version).toBe('W/"1"');
  });
});

describe('PATCH errors', () => {
  it('remove without a path: 400 noTarget', async () => {
    expectScimError(await patchUser({ op: 'remove' }), 400, 'noTarget');
  });

  it('replace with a value filter that matches nothing and cannot describe a new value: 400 noTarget', async () => {
    expectScimError(
      await patchUser({ op: 'replace', path: 'emails[value co "nowhere"].value', value: 'x' }),
      400,
      'noTarget',
    );
  });

  it('an unknown attribute or malformed path: 400 invalidPath', async () => {
    expectScimError(await patchUser({ op: 'replace', path: 'shoeSize', value: 9 }), 400, 'invalidPath');
    expectScimError(
      await patchUser({ op: 'replace', path: 'emails[type eq "work"', value: 9 }),
      400,
      'invalidPath',
    );
    expectScimError(
      await patchUser({ op: 'replace', path: 'emails[type zz "work"].value', value: 9 }),
      400,
      'invalidPath',
    );
  });

  it('a value of the wrong type: 400 invalidValue', async () => {
    expectScimError(await patchUser({ op: 'replace', path: 'active', value: 'maybe' }), 400, 'invalidValue');
    expectScimError(await patchUser({ op: 'replace', value: 'not an object' }), 400, 'invalidValue');
  });

  it('an unknown op or a body without the PatchOp schema: 400 invalidSyntax', async () => {
    expectScimError(await patchUser({ op: 'merge', path: 'title', value: 'x' }), 400, 'invalidSyntax');
    expectScimError(
      await c.patch(`/Users/${id}`, {
        schemas: [USER],
        Operations: [{ op: 'replace', path: 'title', value: 'x' }],
      }),
      400,
      'invalidSyntax',
    );
    expectScimError(await c.patch(`/Users/${id}`, patchBody()), 400, 'invalidSyntax');
  });

  it('a read-only attribute: 400 mutability', async () => {
    expectScimError(await patchUser({ op: 'replace', path: 'id', value: 'x' }), 400, 'mutability');
    expectScimError(
      await patchUser({ op: 'add', path: 'groups', value: [{ value: 'x' }] }),
      400,
      'mutability',
    );
  });

  it('a userName that another user has: 409 uniqueness', async () => {
    await createUser(c, 'taken@example.com');
    expectScimError(
      await patchUser({ op: 'replace', path: 'userName', value: 'TAKEN@example.com' }),
      409,
      'uniqueness',
    );
  });

  it('an unknown id: 404', async () => {
    expectScimError(
      await c.patch('/Users/nope', patchBody({ op: 'replace', path: 'title', value: 'x' })),
      404,
    );
  });
});

describe('Entra dialect (default job, no flags)', () => {
  it('capitalised ops: Add, Replace, Remove', async () => {
    const res = await patchUser(
      { op: 'Replace', path: 'title', value: 'Boss' },
      { op: 'Add', path: 'nickName', value: 'P' },
      { op: 'Remove', path: `${ENTERPRISE}:costCenter` },
    );
    expect(res.status).toBe(200);
    expect(res.body.title).toBe('Boss');
    expect(res.body.nickName).toBe('P');
    expect(res.body[ENTERPRISE].costCenter).toBeUndefined();
  });

  it('disable with active "False" and enable with "True" (strings)', async () => {
    expect((await patchUser({ op: 'Replace', path: 'active', value: 'False' })).body.active).toBe(false);
    expect((await patchUser({ op: 'Replace', path: 'active', value: 'True' })).body.active).toBe(true);
  });

  it('Replace emails[type eq "work"].value on a user without a work email creates it', async () => {
    await patchUser({ op: 'remove', path: 'emails' });
    await patchUser({ op: 'Replace', path: 'emails[type eq "work"].value', value: 'pat@work.example' });
    expect((await current()).emails).toEqual([{ type: 'work', value: 'pat@work.example' }]);
  });

  it('manager Add as Entra sends it: [{"$ref": …, "value": id}]', async () => {
    const boss = await createUser(c, 'boss@example.com');
    const res = await patchUser({
      op: 'Add',
      path: 'manager',
      value: [{ $ref: `http://x/scim/Users/${boss}`, value: boss }],
    });
    expect(res.status).toBe(200);
    expect(res.body[ENTERPRISE].manager).toMatchObject({ value: boss, displayName: 'boss@example.com' });
  });

  it('manager as a bare id and as {value}, by plain and URN-prefixed path', async () => {
    const a = await createUser(c, 'a@example.com');
    const b = await createUser(c, 'b@example.com');
    expect(
      (await patchUser({ op: 'Replace', path: `${ENTERPRISE}:manager`, value: a })).body[ENTERPRISE].manager
        .value,
    ).toBe(a);
    expect(
      (await patchUser({ op: 'Replace', path: 'manager', value: { value: b } })).body[ENTERPRISE].manager
        .value,
    ).toBe(b);
    const removed = await patchUser({ op: 'Remove', path: `${ENTERPRISE}:manager` });
    expect(removed.body[ENTERPRISE].manager).toBeUndefined();
  });

  it('aadOptscim062020: one replace without a path, dotted and extension-URN keys', async () => {
    const res = await patchUser(
      {
        op: 'replace',
        value: {
          displayName: 'Pat Q',
          'name.givenName': 'Patricia',
          'name.familyName': 'Quinn',
          [`${ENTERPRISE}:employeeNumber`]: '777',
          active: false,
        },
      },
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'pq@example.com' },
    );
    expect(res.status).toBe(200);
    const u = res.body;
    expect(u.displayName).toBe('Pat Q');
    expect(u.name).toEqual({ formatted: 'Test User', familyName: 'Quinn', givenName: 'Patricia' });
    expect(u[ENTERPRISE]).toMatchObject({ employeeNumber: '777', department: 'Engineering' });
    expect(u.active).toBe(false);
    expect(u.emails[0]).toEqual({ value: 'pq@example.com', type: 'work', primary: true });
  });

  it('a replace without a path whose value holds the extension as an object', async () => {
    await patchUser({ op: 'Replace', value: { [ENTERPRISE]: { Department: 'Legal', division: 'North' } } });
    expect((await current())[ENTERPRISE]).toEqual({
      costCenter: 'CC-1',
      division: 'North',
      department: 'Legal',
    });
  });
});

describe('Group membership PATCH', () => {
  let u1: string;
  let u2: string;
  let u3: string;
  let gid: string;
  beforeEach(async () => {
    u1 = await createUser(c, 'm1@example.com');
    u2 = await createUser(c, 'm2@example.com');
    u3 = await createUser(c, 'm3@example.com');
    gid = await createGroup(c, 'Members');
  });
  const members = async () =>
    ((await c.get(`/Groups/${gid}`)).body.members ?? []).map((m: { value: string }) => m.value).sort();

  it('Entra Add members: several in one request, $ref null', async () => {
    const res = await c.patch(
      `/Groups/${gid}`,
      patchBody({
        op: 'Add',
        path: 'members',
        value: [
          { $ref: null, value: u1 },
          { $ref: null, value: u2 },
        ],
      }),
    );
    expect(res.status).toBe(204);
    expect(await members()).toEqual([u1, u2].sort());
  });

  it('adding an existing member again changes nothing', async () => {
    await c.patch(`/Groups/${gid}`, patchBody({ op: 'add', path: 'members', value: [{ value: u1 }] }));
    const res = await c.patch(
      `/Groups/${gid}`,
      patchBody({ op: 'add', path: 'members', value: [{ value: u1 }] }),
    );
    expect(res.headers.get('etag')).toBe('W/"2"');
    expect(await members()).toEqual([u1]);
  });

  it('Entra Remove members: {"op":"Remove","path":"members","value":[{"value":id}]}', async () => {
    await c.patch(
      `/Groups/${gid}`,
      patchBody({ op: 'add', path: 'members', value: [{ value: u1 }, { value: u2 }, { value: u3 }] }),
    );
    const res = await c.patch(
      `/Groups/${gid}`,
      patchBody({ op: 'Remove', path: 'members', value: [{ value: u1 }, { value: u3 }] }),
    );
    expect(res.status).toBe(204);
    expect(await members()).toEqual([u2]);
  });

  it('RFC remove: members[value eq "id"]', async () => {
    await c.patch(
      `/Groups/${gid}`,
      patchBody({ op: 'add', path: 'members', value: [{ value: u1 }, { value: u2 }] }),
    );
    await c.patch(`/Groups/${gid}`, patchBody({ op: 'remove', path: `members[value eq "${u2}"]` }));
    expect(await members()).toEqual([u1]);
  });

  it('remove members without a value removes them all', async () => {
    await c.patch(
      `/Groups/${gid}`,
      patchBody({ op: 'add', path: 'members', value: [{ value: u1 }, { value: u2 }] }),
    );
    await c.patch(`/Groups/${gid}`, patchBody({ op: 'remove', path: 'members' }));
    expect(await members()).toEqual([]);
  });

  it('Replace displayName on a group; the new name must be unique', async () => {
    const res = await c.patch(
      `/Groups/${gid}`,
      patchBody({ op: 'Replace', path: 'displayName', value: 'Renamed' }),
    );
    expect(res.status).toBe(204);
    expect((await c.get(`/Groups/${gid}`)).body.displayName).toBe('Renamed');
    await createGroup(c, 'Other');
    expectScimError(
      await c.patch(`/Groups/${gid}`, patchBody({ op: 'Replace', path: 'displayName', value: 'other' })),
      409,
      'uniqueness',
    );
  });

  it('answers 204 without a body, or 200 with the resource when attributes are asked for', async () => {
    const plain = await c.patch(
      `/Groups/${gid}`,
      patchBody({ op: 'add', path: 'members', value: [{ value: u1 }] }),
    );
    expect(plain.status).toBe(204);
    expect(plain.text).toBe('');
    expect(plain.headers.get('etag')).toBe('W/"2"');
    const asked = await c.patch(
      `/Groups/${gid}?excludedAttributes=members`,
      patchBody({ op: 'replace', path: 'displayName', value: 'Asked' }),
    );
    expect(asked.status).toBe(200);
    expect(asked.body).toMatchObject({ displayName: 'Asked', meta: { version: 'W/"3"' } });
    expect(asked.body.members).toBeUndefined();
  });

  it('adding an unknown member id is rejected (400 invalidValue) and changes nothing', async () => {
    const res = await c.patch(
      `/Groups/${gid}`,
      patchBody({ op: 'Add', path: 'members', value: [{ value: u1 }, { value: 'ghost' }] }),
    );
    expectScimError(res, 400, 'invalidValue');
    expect(await members()).toEqual([]);
  });
});
