import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditEvents,
  createUser,
  describeAccess,
  errorOf,
  NO_ID,
  startTestApp,
  type TestContext,
} from './helpers';

let t: TestContext;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

async function createGroup(displayName: string): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1.0/groups',
    headers: { cookie: t.admin },
    payload: { displayName },
  });
  expect(res.statusCode).toBe(201);
  return (res.json() as { id: string }).id;
}

describe('access', () => {
  describeAccess(it, () => t, [
    { method: 'GET', url: '/api/v1.0/groups' },
    { method: 'POST', url: '/api/v1.0/groups', payload: { displayName: 'G' } },
    { method: 'GET', url: `/api/v1.0/groups/${NO_ID}` },
    { method: 'PATCH', url: `/api/v1.0/groups/${NO_ID}`, payload: { description: 'x' } },
    { method: 'DELETE', url: `/api/v1.0/groups/${NO_ID}` },
    { method: 'GET', url: `/api/v1.0/groups/${NO_ID}/members` },
    {
      method: 'POST',
      url: `/api/v1.0/groups/${NO_ID}/members/$ref`,
      payload: { '@odata.id': `users/${NO_ID}` },
    },
    { method: 'DELETE', url: `/api/v1.0/groups/${NO_ID}/members/${NO_ID}/$ref` },
  ]);
});

describe('groups', () => {
  it('creates (201), reads, lists, updates (204) and deletes (204) a group', async () => {
    const create = await t.app.inject({
      method: 'POST',
      url: '/api/v1.0/groups',
      headers: { cookie: t.admin },
      payload: { displayName: 'Finance', description: 'Money people' },
    });
    expect(create.statusCode).toBe(201);
    const group = create.json();
    expect(group).toMatchObject({
      displayName: 'Finance',
      description: 'Money people',
      securityEnabled: true,
      memberCount: 0,
    });

    const list = await t.app.inject({ url: '/api/v1.0/groups?$search=fin', headers: { cookie: t.admin } });
    expect(list.statusCode).toBe(200);
    expect(list.json().value.map((g: { id: string }) => g.id)).toContain(group.id);

    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1.0/groups/${group.id}`,
      headers: { cookie: t.admin },
      payload: { description: 'Finance team' },
    });
    expect(patch.statusCode).toBe(204);
    const read = await t.app.inject({ url: `/api/v1.0/groups/${group.id}`, headers: { cookie: t.admin } });
    expect(read.json().description).toBe('Finance team');

    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1.0/groups/${group.id}`,
      headers: { cookie: t.admin },
    });
    expect(del.statusCode).toBe(204);
    const gone = await t.app.inject({ url: `/api/v1.0/groups/${group.id}`, headers: { cookie: t.admin } });
    expect(gone.statusCode).toBe(404);
    expect(errorOf(gone).code).toBe('group.not_found');
    const activities = (await auditEvents(t))
      .filter((e) => e.targetResources[0]?.id === group.id)
      .map((e) => e.activityDisplayName);
    expect(activities.sort()).toEqual(['Add group', 'Delete group', 'Update group']);
  });

  it('answers 400 naming the field and 404 for unknown groups', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1.0/groups',
      headers: { cookie: t.admin },
      payload: { displayName: '' },
    });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).details?.[0]?.target).toBe('body/displayName');
    const named = await createGroup('Named');
    for (const method of ['POST', 'PATCH'] as const) {
      const group = method === 'POST' ? '' : `/${named}`;
      for (const displayName of ['   ', '\u200b', ' \u2060\u00a0']) {
        const blank = await t.app.inject({
          method,
          url: `/api/v1.0/groups${group}`,
          headers: { cookie: t.admin },
          payload: { displayName },
        });
        expect(blank.statusCode).toBe(400);
        expect(errorOf(blank).details?.[0]?.target).toBe('body/displayName');
        expect(errorOf(blank).message).toContain(
          'at least one character other than a blank or an invisible character',
        );
      }
    }
    const badPatch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1.0/groups/${NO_ID}`,
      headers: { cookie: t.admin },
      payload: { securityEnabled: 'yes' },
    });
    expect(badPatch.statusCode).toBe(400);
    expect(errorOf(badPatch).details?.[0]?.target).toBe('body/securityEnabled');
    for (const method of ['PATCH', 'DELETE'] as const) {
      const res = await t.app.inject({
        method,
        url: `/api/v1.0/groups/${NO_ID}`,
        headers: { cookie: t.admin },
        ...(method === 'PATCH' ? { payload: { description: 'x' } } : {}),
      });
      expect(res.statusCode).toBe(404);
      expect(errorOf(res).code).toBe('group.not_found');
    }
  });
});

describe('members', () => {
  it('adds a member by $ref (204), lists it, refuses a duplicate (409) and removes it (204)', async () => {
    const groupId = await createGroup('Sales');
    const userId = await createUser(t, 'seller@contoso.com');
    const add = await t.app.inject({
      method: 'POST',
      url: `/api/v1.0/groups/${groupId}/members/$ref`,
      headers: { cookie: t.admin },
      payload: { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${userId}` },
    });
    expect(add.statusCode).toBe(204);
    const members = await t.app.inject({
      url: `/api/v1.0/groups/${groupId}/members`,
      headers: { cookie: t.admin },
    });
    expect(members.statusCode).toBe(200);
    expect(members.json().value.map((u: { id: string }) => u.id)).toEqual([userId]);
    expect(
      (await t.app.inject({ url: `/api/v1.0/groups/${groupId}`, headers: { cookie: t.admin } })).json()
        .memberCount,
    ).toBe(1);

    const dup = await t.app.inject({
      method: 'POST',
      url: `/api/v1.0/groups/${groupId}/members/$ref`,
      headers: { cookie: t.admin },
      payload: { '@odata.id': `users/${userId}` },
    });
    expect(dup.statusCode).toBe(409);
    expect(errorOf(dup).code).toBe('group_member.conflict');
    expect(errorOf(dup).message).toMatch(/is already a member of .*: nothing to add\.$/);
    expect(errorOf(dup).details?.[0]?.target).toBe('body/@odata.id');

    const remove = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1.0/groups/${groupId}/members/${userId}/$ref`,
      headers: { cookie: t.admin },
    });
    expect(remove.statusCode).toBe(204);
    const again = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1.0/groups/${groupId}/members/${userId}/$ref`,
      headers: { cookie: t.admin },
    });
    expect(again.statusCode).toBe(404);
    expect(errorOf(again).code).toBe('group_member.not_found');
    const activities = (await auditEvents(t))
      .filter((e) => e.targetResources[0]?.id === groupId)
      .map((e) => e.activityDisplayName);
    expect(activities).toEqual(expect.arrayContaining(['Add member to group', 'Remove member from group']));
  });

  it('leaves a member in the recycle bin out of the members and the count, and brings it back when restored', async () => {
    const groupId = await createGroup('Recycled');
    const keptId = await createUser(t, 'kept@contoso.com');
    const binnedId = await createUser(t, 'binned@contoso.com');
    for (const userId of [keptId, binnedId]) {
      const add = await t.app.inject({
        method: 'POST',
        url: `/api/v1.0/groups/${groupId}/members/$ref`,
        headers: { cookie: t.admin },
        payload: { '@odata.id': `users/${userId}` },
      });
      expect(add.statusCode).toBe(204);
    }
    const seen = async () => ({
      members: (
        await t.app.inject({ url: `/api/v1.0/groups/${groupId}/members`, headers: { cookie: t.admin } })
      )
        .json()
        .value.map((u: { id: string }) => u.id),
      memberCount: (
        await t.app.inject({ url: `/api/v1.0/groups/${groupId}`, headers: { cookie: t.admin } })
      ).json().memberCount,
    });
    const both = await seen();
    expect(both.memberCount).toBe(2);
    expect(both.members.sort()).toEqual([keptId, binnedId].sort());

    const deleted = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1.0/users/${binnedId}`,
      headers: { cookie: t.admin },
    });
    expect(deleted.statusCode).toBe(204);
    expect(await seen()).toEqual({ members: [keptId], memberCount: 1 });

    const restored = await t.app.inject({
      method: 'POST',
      url: `/api/v1.0/directory/deletedItems/${binnedId}/restore`,
      headers: { cookie: t.admin },
    });
    expect(restored.statusCode).toBe(200);
    expect((await seen()).memberCount).toBe(2);
  });

  it('answers 400 naming body/@odata.id for a user that does not exist, and for a malformed body', async () => {
    const groupId = await createGroup('Nobody');
    const unknown = await t.app.inject({
      method: 'POST',
      url: `/api/v1.0/groups/${groupId}/members/$ref`,
      headers: { cookie: t.admin },
      payload: { '@odata.id': `users/${NO_ID}` },
    });
    expect(unknown.statusCode).toBe(400);
    expect(errorOf(unknown).code).toBe('group_member.user_not_found');
    expect(errorOf(unknown).details?.[0]?.target).toBe('body/@odata.id');
    const malformed = await t.app.inject({
      method: 'POST',
      url: `/api/v1.0/groups/${groupId}/members/$ref`,
      headers: { cookie: t.admin },
      payload: { id: NO_ID },
    });
    expect(malformed.statusCode).toBe(400);
    expect(errorOf(malformed).details?.[0]?.target).toBe('body/@odata.id');
  });

  it('refuses the OData parameters a members list does not take, naming each and the ones it takes', async () => {
    const group = await createGroup('Parameters');
    for (const parameter of ['$filter', '$select', '$count', '$search']) {
      const res = await t.app.inject({
        url: `/api/v1.0/groups/${group}/members?${parameter}=x&$top=5`,
        headers: { cookie: t.admin },
      });
      expect(res.statusCode, parameter).toBe(400);
      expect(errorOf(res).details?.[0]).toMatchObject({
        target: `querystring/${parameter}`,
        message: `querystring/${parameter} is not a known property: remove it or check its spelling (known: $top, $skiptoken).`,
      });
    }
    // Taken as before, with a parameter of the caller's own beside them.
    const page = await t.app.inject({
      url: `/api/v1.0/groups/${group}/members?$top=5&nocache=1`,
      headers: { cookie: t.admin },
    });
    expect(page.statusCode).toBe(200);
  });

  it('answers 404 group.not_found for members of an unknown group', async () => {
    const res = await t.app.inject({
      url: `/api/v1.0/groups/${NO_ID}/members`,
      headers: { cookie: t.admin },
    });
    expect(res.statusCode).toBe(404);
    expect(errorOf(res).code).toBe('group.not_found');
  });
});
