import { DEFAULT_ACCESS_ROLE_ID, type AppRole } from '@provisio/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditEvents,
  configuredJob,
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

const EDITOR = '6f1c2a7e-3b9d-4c1e-9a55-0d2f8b7c4e11';
const AUDITOR = 'b2e4f6a8-1c3d-4e5f-8a9b-0c1d2e3f4a5b';
const defaultRole: AppRole = {
  id: DEFAULT_ACCESS_ROLE_ID,
  displayName: 'User',
  value: null,
  description: 'Default access',
  allowedMemberTypes: ['User'],
  isEnabled: true,
};
const role = (id: string, value: string, extra: Partial<AppRole> = {}): AppRole => ({
  id,
  displayName: value[0]!.toUpperCase() + value.slice(1),
  value,
  description: `Can ${value}`,
  allowedMemberTypes: ['User'],
  isEnabled: true,
  ...extra,
});

async function createApp(displayName: string): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1.0/servicePrincipals',
    headers: { cookie: t.admin },
    payload: { displayName },
  });
  expect(res.statusCode).toBe(201);
  return (res.json() as { id: string }).id;
}

const patchRoles = (spId: string, appRoles: unknown) =>
  t.app.inject({
    method: 'PATCH',
    url: `/api/v1.0/servicePrincipals/${spId}`,
    headers: { cookie: t.admin },
    payload: { appRoles },
  });

describe('access', () => {
  describeAccess(it, () => t, [
    { method: 'PATCH', url: `/api/v1.0/servicePrincipals/${NO_ID}`, payload: { appRoles: [] } },
    {
      method: 'PATCH',
      url: `/api/v1.0/servicePrincipals/${NO_ID}/appRoleAssignedTo/${NO_ID}`,
      payload: { appRoleId: NO_ID },
    },
  ]);
});

describe('PATCH /servicePrincipals/{id} appRoles', () => {
  it('adds and edits roles, records the change with each role before and after', async () => {
    const spId = await createApp('Roles Wiki');
    const added = await patchRoles(spId, [defaultRole, role(EDITOR, 'editor')]);
    expect(added.statusCode).toBe(200);
    expect(added.json().appRoles).toEqual([defaultRole, role(EDITOR, 'editor')]);

    const edited = await patchRoles(spId, [
      defaultRole,
      role(EDITOR, 'editor', { displayName: 'Page editor', description: 'Edits pages' }),
    ]);
    expect(edited.statusCode).toBe(200);
    const read = await t.app.inject({
      url: `/api/v1.0/servicePrincipals/${spId}`,
      headers: { cookie: t.admin },
    });
    expect(read.json().appRoles[1]).toMatchObject({ displayName: 'Page editor', description: 'Edits pages' });

    const audits = (await auditEvents(t)).filter(
      (e) => e.targetResources[0]?.id === spId && e.activityDisplayName === 'Update service principal',
    );
    expect(audits).toHaveLength(2);
    const last = audits[0]!;
    expect(last).toMatchObject({ category: 'ApplicationManagement', operationType: 'Update' });
    expect(last.targetResources[0]?.modifiedProperties).toEqual([
      {
        displayName: `AppRole ${EDITOR}`,
        oldValue: expect.stringContaining('"displayName":"Editor"'),
        newValue: expect.stringContaining('"displayName":"Page editor"'),
      },
    ]);
  });

  it('refuses to remove an enabled role (disable it first), then removes it once disabled', async () => {
    const spId = await createApp('Roles Remove');
    expect((await patchRoles(spId, [defaultRole, role(EDITOR, 'editor')])).statusCode).toBe(200);
    const refused = await patchRoles(spId, [defaultRole]);
    expect(refused.statusCode).toBe(400);
    expect(errorOf(refused).code).toBe('app_role.delete_requires_disable');
    expect(errorOf(refused).message).toMatch(/Disable it first/);
    const read = await t.app.inject({
      url: `/api/v1.0/servicePrincipals/${spId}`,
      headers: { cookie: t.admin },
    });
    expect(read.json().appRoles).toHaveLength(2);

    expect(
      (await patchRoles(spId, [defaultRole, role(EDITOR, 'editor', { isEnabled: false })])).statusCode,
    ).toBe(200);
    const removed = await patchRoles(spId, [defaultRole]);
    expect(removed.statusCode).toBe(200);
    expect(removed.json().appRoles).toEqual([defaultRole]);
  });

  it.each([
    [[defaultRole, role('editor-role', 'editor')], 'app_role.invalid_id', 'body/appRoles/1/id'],
    [[defaultRole, role(EDITOR, 'page editor')], 'app_role.invalid_value', 'body/appRoles/1/value'],
    [
      [defaultRole, role(EDITOR, 'editor'), role(AUDITOR, 'Editor')],
      'app_role.duplicate_value',
      'body/appRoles/2/value',
    ],
    [
      [defaultRole, role(EDITOR, 'editor'), role(EDITOR, 'auditor')],
      'app_role.duplicate_id',
      'body/appRoles/2/id',
    ],
    [
      [defaultRole, role(EDITOR, 'editor', { allowedMemberTypes: ['Robot'] })],
      'app_role.invalid_member_types',
      'body/appRoles/1/allowedMemberTypes',
    ],
  ])('refuses a bad role list naming the field (%#), and stores nothing', async (appRoles, code, target) => {
    const spId = await createApp(`Roles Bad ${code}`);
    const res = await patchRoles(spId, appRoles);
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).code).toBe('app_role.invalid');
    expect(errorOf(res).details).toContainEqual(expect.objectContaining({ code, target }));
    const read = await t.app.inject({
      url: `/api/v1.0/servicePrincipals/${spId}`,
      headers: { cookie: t.admin },
    });
    expect(read.json().appRoles).toEqual([defaultRole]);
  });

  it('refuses a role without allowedMemberTypes or id by the contract, naming the field', async () => {
    const spId = await createApp('Roles Shape');
    const res = await patchRoles(spId, [{ ...role(EDITOR, 'editor'), allowedMemberTypes: [] }]);
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).details?.[0]?.target).toContain('allowedMemberTypes');
  });

  it('404 service_principal.not_found for an unknown application', async () => {
    const res = await patchRoles(NO_ID, [defaultRole]);
    expect(res.statusCode).toBe(404);
    expect(errorOf(res).code).toBe('service_principal.not_found');
  });
});

describe('assignments with a role', () => {
  it('assigns with a custom role; a disabled role or one for applications only cannot be picked', async () => {
    const spId = await createApp('Roles Assign');
    await patchRoles(spId, [
      defaultRole,
      role(EDITOR, 'editor'),
      role(AUDITOR, 'auditor', { isEnabled: false }),
      role('c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f', 'daemon', { allowedMemberTypes: ['Application'] }),
    ]);
    const assign = async (principalId: string, appRoleId: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1.0/servicePrincipals/${spId}/appRoleAssignedTo`,
        headers: { cookie: t.admin },
        payload: { principalId, appRoleId },
      });
    const ok = await assign(await createUser(t, 'role.editor@contoso.com'), EDITOR);
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ appRoleId: EDITOR });
    const disabled = await assign(await createUser(t, 'role.auditor@contoso.com'), AUDITOR);
    expect(errorOf(disabled).code).toBe('app_role_assignment.role_not_found');
    const appOnly = await assign(
      await createUser(t, 'role.daemon@contoso.com'),
      'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f',
    );
    expect(errorOf(appOnly).code).toBe('app_role_assignment.role_not_assignable');
  });

  it('a user whose role is disabled afterwards is not effectively entitled; Explain names the cause and the fix', async () => {
    const { spId, jobId } = await configuredJob(t, 'Roles Explain');
    await patchRoles(spId, [defaultRole, role(EDITOR, 'editor')]);
    const userId = await createUser(t, 'role.removed@contoso.com');
    const assigned = await t.app.inject({
      method: 'POST',
      url: `/api/v1.0/servicePrincipals/${spId}/appRoleAssignedTo`,
      headers: { cookie: t.admin },
      payload: { principalId: userId, appRoleId: EDITOR },
    });
    expect(assigned.statusCode).toBe(201);
    const before = (await t.db.directory.getUser(userId)).changeSeq;
    expect(
      (await patchRoles(spId, [defaultRole, role(EDITOR, 'editor', { isEnabled: false })])).statusCode,
    ).toBe(200);
    // The next incremental cycle visits the user: its entitlement changed with the role.
    expect((await t.db.directory.getUser(userId)).changeSeq).toBeGreaterThan(before);

    const explained = await t.app.inject({
      url: `/api/v1.0/servicePrincipals/${spId}/synchronization/jobs/${jobId}/explain?objectId=${userId}`,
      headers: { cookie: t.admin },
    });
    expect(explained.statusCode).toBe(200);
    const body = explained.json();
    expect(body.checks).toContainEqual(
      expect.objectContaining({
        name: 'Assigned',
        passed: false,
        detail: expect.stringMatching(/no longer has \(the role was disabled or removed\)/),
      }),
    );
    expect(body.willProvision).toBe(false);
  });
});

describe('PATCH …/appRoleAssignedTo/{assignmentId}: change role', () => {
  it('gives the assignment another role in one step, records it, and refuses a disabled role naming the field', async () => {
    const spId = await createApp('Roles Change');
    await patchRoles(spId, [
      defaultRole,
      role(EDITOR, 'editor'),
      role(AUDITOR, 'auditor', { isEnabled: false }),
    ]);
    const userId = await createUser(t, 'role.change@contoso.com');
    const created = await t.app.inject({
      method: 'POST',
      url: `/api/v1.0/servicePrincipals/${spId}/appRoleAssignedTo`,
      headers: { cookie: t.admin },
      payload: { principalId: userId },
    });
    const assignmentId = (created.json() as { id: string }).id;
    const change = (appRoleId: string, id = assignmentId) =>
      t.app.inject({
        method: 'PATCH',
        url: `/api/v1.0/servicePrincipals/${spId}/appRoleAssignedTo/${id}`,
        headers: { cookie: t.admin },
        payload: { appRoleId },
      });

    const before = (await t.db.directory.getUser(userId)).changeSeq;
    const changed = await change(EDITOR.toUpperCase());
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ id: assignmentId, appRoleId: EDITOR, principalId: userId });
    expect((await t.db.directory.getUser(userId)).changeSeq).toBeGreaterThan(before);
    const audit = (await auditEvents(t)).find(
      (e) => e.activityDisplayName === 'Update app role assignment of user',
    )!;
    expect(audit.targetResources[1]?.modifiedProperties).toEqual([
      { displayName: 'AppRole.DisplayName', oldValue: 'User', newValue: 'Editor' },
    ]);

    const disabled = await change(AUDITOR);
    expect(disabled.statusCode).toBe(400);
    expect(errorOf(disabled)).toMatchObject({
      code: 'app_role_assignment.role_not_found',
      details: [expect.objectContaining({ target: 'body/appRoleId' })],
    });
    expect((await change(EDITOR, NO_ID)).statusCode).toBe(404);
    const list = await t.app.inject({
      url: `/api/v1.0/servicePrincipals/${spId}/appRoleAssignedTo`,
      headers: { cookie: t.admin },
    });
    expect(list.json().value).toEqual([expect.objectContaining({ id: assignmentId, appRoleId: EDITOR })]);
  });
});
