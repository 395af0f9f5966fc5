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

const user = { userPrincipalName: 'ada.lovelace@contoso.com', displayName: 'Ada Lovelace' };

describe('access', () => {
  describeAccess(it, () => t, [
    { method: 'GET', url: '/api/v1.0/users' },
    { method: 'POST', url: '/api/v1.0/users', payload: user },
    { method: 'GET', url: `/api/v1.0/users/${NO_ID}` },
    { method: 'PATCH', url: `/api/v1.0/users/${NO_ID}`, payload: { jobTitle: 'x' } },
    { method: 'DELETE', url: `/api/v1.0/users/${NO_ID}` },
  ]);
});

describe('POST /api/v1.0/users', () => {
  it('creates a user (201, Graph shape) and records "Add user"', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1.0/users',
      headers: { cookie: t.admin },
      payload: {
        ...user,
        givenName: 'Ada',
        surname: 'Lovelace',
        department: 'Engineering',
        employeeId: '1815',
      },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      userPrincipalName: 'ada.lovelace@contoso.com',
      displayName: 'Ada Lovelace',
      givenName: 'Ada',
      department: 'Engineering',
      accountEnabled: true,
      mailNickname: 'ada.lovelace',
      deletedDateTime: null,
    });
    expect(Object.keys(body).sort()).toEqual(
      [
        'id',
        'userPrincipalName',
        'displayName',
        'givenName',
        'surname',
        'mail',
        'mailNickname',
        'department',
        'jobTitle',
        'employeeId',
        'accountEnabled',
        'managerId',
        'createdDateTime',
        'deletedDateTime',
      ].sort(),
    );
    const audit = (await auditEvents(t)).find(
      (e) => e.activityDisplayName === 'Add user' && e.targetResources[0]?.id === body.id,
    );
    expect(audit).toMatchObject({
      category: 'UserManagement',
      loggedByService: 'Core Directory',
      result: 'success',
      initiatedBy: { user: { userPrincipalName: 'admin' } },
    });
  });

  it('answers 409 user.conflict for a taken userPrincipalName (any case)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1.0/users',
      headers: { cookie: t.admin },
      payload: { ...user, userPrincipalName: 'ADA.lovelace@contoso.com' },
    });
    expect(res.statusCode).toBe(409);
    expect(errorOf(res).code).toBe('user.conflict');
  });

  it.each([
    [{ ...user, userPrincipalName: 'not-an-upn' }, 'body/userPrincipalName'],
    [{ displayName: 'No UPN' }, 'body/userPrincipalName'],
    [{ ...user, userPrincipalName: 'x@y.com', displayName: '' }, 'body/displayName'],
    [{ ...user, userPrincipalName: 'x@y.com', displayName: ' \t ' }, 'body/displayName'],
    [{ ...user, userPrincipalName: 'x@y.com', accountEnabled: 'false' }, 'body/accountEnabled'],
    [{ ...user, userPrincipalName: 'x@y.com', employeeId: '12345678901234567' }, 'body/employeeId'],
    [{ ...user, userPrincipalName: 'x@y.com', colour: 'blue' }, 'body/colour'],
  ])('answers 400 naming the field for %j', async (payload, target) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1.0/users',
      headers: { cookie: t.admin },
      payload,
    });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).code).toBe('request.invalid');
    expect(errorOf(res).details?.[0]?.target).toBe(target);
    expect(errorOf(res).message).toContain(target);
  });

  it('answers 400 naming body/managerId for a manager that does not exist', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1.0/users',
      headers: { cookie: t.admin },
      payload: { userPrincipalName: 'm@contoso.com', displayName: 'M', managerId: NO_ID },
    });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).details?.[0]?.target).toBe('body/managerId');
  });
});

describe('GET /api/v1.0/users', () => {
  it('lists users by displayName with $top paging through @odata.nextLink', async () => {
    for (const name of ['Zed', 'Yan', 'Xia']) await createUser(t, `${name.toLowerCase()}@paging.test`);
    const seen: string[] = [];
    let url: string | undefined = '/api/v1.0/users?$top=2&$search=paging.test';
    while (url) {
      const res = await t.app.inject({ url, headers: { cookie: t.admin } });
      expect(res.statusCode).toBe(200);
      const page = res.json() as { value: { displayName: string }[]; '@odata.nextLink'?: string };
      seen.push(...page.value.map((u) => u.displayName));
      if (page['@odata.nextLink']) {
        expect(page['@odata.nextLink']).toMatch(
          /^http:\/\/localhost\/api\/v1\.0\/users\?\$top=2&\$search=paging\.test&\$skiptoken=/,
        );
      }
      url = page['@odata.nextLink'];
    }
    expect(seen).toEqual(['xia', 'yan', 'zed']);
  });

  it('answers 400 for a $top out of range or a made-up $skiptoken', async () => {
    const top = await t.app.inject({ url: '/api/v1.0/users?$top=0', headers: { cookie: t.admin } });
    expect(top.statusCode).toBe(400);
    expect(errorOf(top).details?.[0]?.target).toBe('querystring/$top');
    const token = await t.app.inject({
      url: '/api/v1.0/users?$skiptoken=garbage!',
      headers: { cookie: t.admin },
    });
    expect(token.statusCode).toBe(400);
    expect(errorOf(token).details?.[0]?.target).toBe('querystring/$skiptoken');
  });
});

describe('GET/PATCH/DELETE /api/v1.0/users/{id}', () => {
  it('gets one user, 404 user.not_found for an unknown id', async () => {
    const id = await createUser(t, 'grace.hopper@contoso.com');
    const res = await t.app.inject({ url: `/api/v1.0/users/${id}`, headers: { cookie: t.admin } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id, userPrincipalName: 'grace.hopper@contoso.com' });
    const missing = await t.app.inject({ url: `/api/v1.0/users/${NO_ID}`, headers: { cookie: t.admin } });
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing).code).toBe('user.not_found');
  });

  it('updates with 204 and records "Update user" with old and new values', async () => {
    const id = await createUser(t, 'alan.turing@contoso.com', { jobTitle: 'Mathematician' });
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1.0/users/${id}`,
      headers: { cookie: t.admin },
      payload: { jobTitle: 'Cryptanalyst', accountEnabled: false },
    });
    expect(res.statusCode).toBe(204);
    const after = (await t.app.inject({ url: `/api/v1.0/users/${id}`, headers: { cookie: t.admin } })).json();
    expect(after).toMatchObject({ jobTitle: 'Cryptanalyst', accountEnabled: false });
    const audit = (await auditEvents(t)).find(
      (e) => e.activityDisplayName === 'Update user' && e.targetResources[0]?.id === id,
    )!;
    expect(audit.targetResources[0]!.modifiedProperties).toEqual([
      { displayName: 'jobTitle', oldValue: 'Mathematician', newValue: 'Cryptanalyst' },
      { displayName: 'accountEnabled', oldValue: 'true', newValue: 'false' },
    ]);
  });

  it('answers PATCH errors: 400 naming the field, 404, 409', async () => {
    const id = await createUser(t, 'patch.me@contoso.com');
    const bad = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1.0/users/${id}`,
      headers: { cookie: t.admin },
      payload: { mail: 42 },
    });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).details?.[0]?.target).toBe('body/mail');
    const missing = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1.0/users/${NO_ID}`,
      headers: { cookie: t.admin },
      payload: { jobTitle: 'x' },
    });
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing).code).toBe('user.not_found');
    const taken = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1.0/users/${id}`,
      headers: { cookie: t.admin },
      payload: { userPrincipalName: 'ada.lovelace@contoso.com' },
    });
    expect(taken.statusCode).toBe(409);
    expect(errorOf(taken).code).toBe('user.conflict');
  });

  it('soft-deletes: 204, the user leaves the list, keeps its row with deletedDateTime, and "Delete user" is recorded', async () => {
    const id = await createUser(t, 'to.delete@contoso.com');
    const res = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1.0/users/${id}`,
      headers: { cookie: t.admin },
    });
    expect(res.statusCode).toBe(204);
    const one = (await t.app.inject({ url: `/api/v1.0/users/${id}`, headers: { cookie: t.admin } })).json();
    expect(one.deletedDateTime).toEqual(expect.any(String));
    const list = (
      await t.app.inject({ url: '/api/v1.0/users?$search=to.delete', headers: { cookie: t.admin } })
    ).json();
    expect(list.value).toHaveLength(0);
    expect(
      (await auditEvents(t)).some(
        (e) => e.activityDisplayName === 'Delete user' && e.targetResources[0]?.id === id,
      ),
    ).toBe(true);
    const again = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1.0/users/${id}`,
      headers: { cookie: t.admin },
    });
    expect(again.statusCode).toBe(404);
    expect(errorOf(again).code).toBe('user.not_found');
  });
});
