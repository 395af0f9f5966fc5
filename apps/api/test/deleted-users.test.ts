// Deleted users (Graph's directory/deletedItems), a user's groups and assignments.
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
  t = await startTestApp({ deletedUserDays: 14 });
});
afterAll(async () => {
  await t.close();
});

const DELETED = '/api/v1.0/directory/deletedItems/microsoft.graph.user';
const get = (url: string, cookie = t.admin) => t.app.inject({ method: 'GET', url, headers: { cookie } });
const send = (method: 'POST' | 'DELETE', url: string) =>
  t.app.inject({ method, url, headers: { cookie: t.admin } });

describe('access', () => {
  describeAccess(it, () => t, [
    { method: 'GET', url: DELETED },
    { method: 'POST', url: `/api/v1.0/directory/deletedItems/${NO_ID}/restore` },
    { method: 'DELETE', url: `/api/v1.0/directory/deletedItems/${NO_ID}` },
    { method: 'GET', url: `/api/v1.0/users/${NO_ID}/memberOf` },
    { method: 'GET', url: `/api/v1.0/users/${NO_ID}/appRoleAssignments` },
  ]);
});

describe('deleted users', () => {
  it('a deleted user is listed, newest first, with when it goes for good; a Reports Reader may read them', async () => {
    const first = await createUser(t, 'first.gone@contoso.com');
    const second = await createUser(t, 'second.gone@contoso.com');
    for (const id of [first, second])
      expect((await send('DELETE', `/api/v1.0/users/${id}`)).statusCode).toBe(204);

    const res = await get(DELETED, t.reader);
    expect(res.statusCode).toBe(200);
    const { value } = res.json() as {
      value: { id: string; deletedDateTime: string; permanentDeletionDateTime: string }[];
    };
    expect(value.map((u) => u.id)).toEqual([second, first]);
    const [newest] = value;
    expect(Date.parse(newest!.permanentDeletionDateTime) - Date.parse(newest!.deletedDateTime)).toBe(
      14 * 24 * 3600 * 1000,
    );

    const paged = await get(`${DELETED}?$top=1`);
    expect(paged.json()).toMatchObject({ value: [{ id: second }], '@odata.nextLink': expect.any(String) });
    const searched = await get(`${DELETED}?$search=first.gone`);
    expect((searched.json() as { value: { id: string }[] }).value.map((u) => u.id)).toEqual([first]);

    // The live list no longer has them.
    const live = (await get('/api/v1.0/users?$top=999')).json() as { value: { id: string }[] };
    expect(live.value.map((u) => u.id)).not.toContain(first);
  });

  it('restore brings the user back as it was and records "Restore user"', async () => {
    const id = await createUser(t, 'back.again@contoso.com', { department: 'Sales' });
    await send('DELETE', `/api/v1.0/users/${id}`);

    const res = await send('POST', `/api/v1.0/directory/deletedItems/${id}/restore`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id, department: 'Sales', deletedDateTime: null });
    expect((await get(`/api/v1.0/users/${id}`)).json()).toMatchObject({ deletedDateTime: null });
    // The delete and the restore may share a millisecond: find the restore among the newest events.
    expect((await auditEvents(t)).find((e) => e.activityDisplayName === 'Restore user')).toMatchObject({
      activityDisplayName: 'Restore user',
      category: 'UserManagement',
      targetResources: [{ id, displayName: 'back.again@contoso.com', type: 'User' }],
    });
    const change = (await t.db.directory.listChangedObjects(0, await t.db.directory.latestChangeSeq())).find(
      (c) => c.objectId === id,
    );
    expect(change).toBeDefined();
  });

  it('a permanent delete removes the user for good and records "Hard delete user"', async () => {
    const id = await createUser(t, 'gone.for.good@contoso.com');
    await send('DELETE', `/api/v1.0/users/${id}`);
    const before = await t.db.directory.latestChangeSeq();

    expect((await send('DELETE', `/api/v1.0/directory/deletedItems/${id}`)).statusCode).toBe(204);
    expect((await get(`/api/v1.0/users/${id}`)).statusCode).toBe(404);
    expect(
      await t.db.directory.listChangedObjectIdsByChangeType(
        before,
        await t.db.directory.latestChangeSeq(),
        'user',
        ['hardDelete'],
      ),
    ).toEqual([id]);
    expect((await auditEvents(t)).find((e) => e.activityDisplayName === 'Hard delete user')).toMatchObject({
      activityDisplayName: 'Hard delete user',
      operationType: 'Delete',
      targetResources: [{ id, type: 'User' }],
    });
  });

  it('only users in Deleted users can be restored or deleted there (404 deleted_item.not_found)', async () => {
    const live = await createUser(t, 'still.here@contoso.com');
    for (const res of [
      await send('POST', `/api/v1.0/directory/deletedItems/${live}/restore`),
      await send('DELETE', `/api/v1.0/directory/deletedItems/${live}`),
      await send('POST', `/api/v1.0/directory/deletedItems/${NO_ID}/restore`),
      await send('DELETE', `/api/v1.0/directory/deletedItems/${NO_ID}`),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(errorOf(res).code).toBe('deleted_item.not_found');
    }
    expect((await get(`/api/v1.0/users/${live}`)).json()).toMatchObject({ deletedDateTime: null });
  });
});

describe("a user's groups and assignments", () => {
  it('lists the groups a user is a direct member of and the applications it is assigned to', async () => {
    const id = await createUser(t, 'member.of@contoso.com');
    const group = await t.db.directory.insertGroup({ displayName: 'Sales team' });
    await t.db.directory.addMember(group.id, id);
    const sp = await t.db.applications.insertServicePrincipal({ displayName: 'Payroll' });
    await t.db.applications.insertAssignment({
      servicePrincipalId: sp.id,
      principalId: id,
      principalType: 'User',
      appRoleId: '00000000-0000-0000-0000-000000000000',
    });

    expect((await get(`/api/v1.0/users/${id}/memberOf`, t.reader)).json()).toMatchObject({
      value: [{ id: group.id, displayName: 'Sales team' }],
    });
    expect((await get(`/api/v1.0/users/${id}/appRoleAssignments`, t.reader)).json()).toMatchObject({
      value: [{ principalId: id, resourceId: sp.id, resourceDisplayName: 'Payroll' }],
    });
    const missing = await get(`/api/v1.0/users/${NO_ID}/memberOf`);
    expect(missing.statusCode).toBe(404);
  });
});
