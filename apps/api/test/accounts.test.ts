import type { Account } from '@provisio/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  auditEvents,
  describeAccess,
  errorOf,
  NO_ID,
  signIn,
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

const create = (payload: object, cookie = t.admin) =>
  t.app.inject({ method: 'POST', url: '/api/accounts', payload, headers: { cookie } });
const list = async () =>
  (
    (await t.app.inject({ url: '/api/accounts', headers: { cookie: t.admin } })).json() as {
      value: Account[];
    }
  ).value;

describe('access', () => {
  describeAccess(it, () => t, [
    { method: 'GET', url: '/api/accounts', readerAllowed: false },
    {
      method: 'POST',
      url: '/api/accounts',
      payload: { userName: 'x', password: 'x', role: 'ReportsReader' },
    },
    { method: 'DELETE', url: `/api/accounts/${NO_ID}` },
    {
      method: 'POST',
      url: '/api/auth/password',
      payload: { currentPassword: 'x', newPassword: 'y' },
      readerAllowed: true,
    },
  ]);
});

describe('POST /api/accounts', () => {
  it('creates a Reports Reader who signs in and reads the logs and the status, but changes nothing; the password is never returned', async () => {
    const res = await create({ userName: 'auditor', password: 'auditor password 1', role: 'ReportsReader' });
    expect(res.statusCode).toBe(201);
    const account = res.json() as Account;
    expect(account).toEqual({
      id: expect.any(String),
      userName: 'auditor',
      role: 'ReportsReader',
      createdDateTime: expect.any(String),
    });
    expect(res.body).not.toContain('auditor password 1');
    expect((await list()).map((a) => a.userName)).toEqual(['admin', 'app-admin', 'auditor', 'reader']);

    const cookie = await signIn(t.app, { userName: 'auditor', password: 'auditor password 1' });
    const logs = await t.app.inject({ url: '/api/v1.0/auditLogs/provisioning', headers: { cookie } });
    expect(logs.statusCode).toBe(200);
    const users = await t.app.inject({ url: '/api/v1.0/users', headers: { cookie } });
    expect(users.statusCode).toBe(200);
    const change = await t.app.inject({
      method: 'POST',
      url: '/api/v1.0/users',
      headers: { cookie },
      payload: { userPrincipalName: 'x@contoso.com', displayName: 'X' },
    });
    expect(change.statusCode).toBe(403);
    expect(errorOf(change).message).toContain('Reports Reader');

    const audit = (await auditEvents(t)).find((e) => e.activityDisplayName === 'Add portal account');
    expect(audit).toMatchObject({
      category: 'RoleManagement',
      activityDisplayName: 'Add portal account',
      initiatedBy: { user: { displayName: 'admin' } },
      targetResources: [
        {
          id: account.id,
          displayName: 'auditor',
          type: 'Account',
          modifiedProperties: [{ displayName: 'role', oldValue: null, newValue: 'Reports Reader' }],
        },
      ],
    });
    expect(JSON.stringify(audit)).not.toContain('auditor password 1');
  });

  it('answers 409 account.conflict naming body/userName for a name taken in any case', async () => {
    const res = await create({ userName: 'ADMIN', password: 'another password 1', role: 'Administrator' });
    expect(res.statusCode).toBe(409);
    expect(errorOf(res)).toMatchObject({
      code: 'account.conflict',
      details: [{ target: 'body/userName' }],
    });
  });

  it.each([
    [{ userName: 'short', password: 'too short', role: 'ReportsReader' }, 'body/password'],
    [{ userName: 'has space', password: 'long enough password', role: 'ReportsReader' }, 'body/userName'],
    [{ userName: 'x', password: 'long enough password', role: 'Owner' }, 'body/role'],
    [{ password: 'long enough password', role: 'ReportsReader' }, 'userName'],
  ])('answers 400 naming the field for %j', async (payload, target) => {
    const res = await create(payload);
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(errorOf(res))).toContain(target);
  });
});

describe('DELETE /api/accounts/{id}', () => {
  it('deletes an account and ends its sessions', async () => {
    const created = (
      await create({ userName: 'temp', password: 'temporary password', role: 'ReportsReader' })
    ).json() as Account;
    const cookie = await signIn(t.app, { userName: 'temp', password: 'temporary password' });
    const res = await t.app.inject({
      method: 'DELETE',
      url: `/api/accounts/${created.id}`,
      headers: { cookie: t.admin },
    });
    expect(res.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
    expect((await list()).map((a) => a.userName)).not.toContain('temp');
    expect((await auditEvents(t))[0]).toMatchObject({ activityDisplayName: 'Delete portal account' });
  });

  it('refuses to delete the signed-in account, so one Administrator always remains', async () => {
    const admin = (await list()).find((a) => a.userName === ADMIN.userName)!;
    const self = await t.app.inject({
      method: 'DELETE',
      url: `/api/accounts/${admin.id}`,
      headers: { cookie: t.admin },
    });
    expect(self.statusCode).toBe(409);
    expect(errorOf(self).code).toBe('account.self_delete');

    // An Administrator may delete another one, but not through that one's own session.
    const other = (
      await create({ userName: 'second', password: 'second admin password', role: 'Administrator' })
    ).json() as Account;
    const second = await signIn(t.app, { userName: 'second', password: 'second admin password' });
    const bySecond = await t.app.inject({
      method: 'DELETE',
      url: `/api/accounts/${other.id}`,
      headers: { cookie: second },
    });
    expect(bySecond.statusCode).toBe(409);
    const byAdmin = await t.app.inject({
      method: 'DELETE',
      url: `/api/accounts/${other.id}`,
      headers: { cookie: t.admin },
    });
    expect(byAdmin.statusCode).toBe(204);
  });

  it('answers 404 account.not_found for an unknown id', async () => {
    const res = await t.app.inject({
      method: 'DELETE',
      url: `/api/accounts/${NO_ID}`,
      headers: { cookie: t.admin },
    });
    expect(res.statusCode).toBe(404);
    expect(errorOf(res).code).toBe('account.not_found');
  });
});

describe('POST /api/auth/password', () => {
  it('changes the password: the old one stops working, this session stays, the others end', async () => {
    await create({ userName: 'changer', password: 'first password 1', role: 'ReportsReader' });
    const here = await signIn(t.app, { userName: 'changer', password: 'first password 1' });
    const elsewhere = await signIn(t.app, { userName: 'changer', password: 'first password 1' });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      payload: { currentPassword: 'first password 1', newPassword: 'second password 2' },
      headers: { cookie: here },
    });
    expect(res.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: here } })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: elsewhere } })).statusCode).toBe(
      401,
    );
    const old = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { userName: 'changer', password: 'first password 1' },
    });
    expect(old.statusCode).toBe(401);
    await signIn(t.app, { userName: 'changer', password: 'second password 2' });
    const changed = (await auditEvents(t)).find(
      (e) => e.activityDisplayName === 'Change portal account password',
    );
    expect(changed).toBeDefined();
    expect(JSON.stringify(await auditEvents(t))).not.toContain('second password 2');
  });

  it.each([
    [
      { currentPassword: 'wrong password', newPassword: 'a new password 3' },
      'body/currentPassword',
      'auth.invalid_current_password',
    ],
    [
      { currentPassword: 'second password 2', newPassword: 'second password 2' },
      'body/newPassword',
      'request.invalid',
    ],
    [{ currentPassword: 'second password 2', newPassword: 'short' }, 'body/newPassword', 'request.invalid'],
  ])('answers 400 naming the field for %j', async (payload, target, code) => {
    const cookie = await signIn(t.app, { userName: 'changer', password: 'second password 2' });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      payload,
      headers: { cookie },
    });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).code).toBe(code);
    expect(JSON.stringify(errorOf(res))).toContain(target);
  });
});
