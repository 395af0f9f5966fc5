import { DEFAULT_ACCESS_ROLE_ID } from '@provisio/contracts';
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

describe('access', () => {
  describeAccess(it, () => t, [
    { method: 'GET', url: '/api/v1.0/servicePrincipals' },
    { method: 'POST', url: '/api/v1.0/servicePrincipals', payload: { displayName: 'X' } },
    { method: 'GET', url: `/api/v1.0/servicePrincipals/${NO_ID}` },
    { method: 'DELETE', url: `/api/v1.0/servicePrincipals/${NO_ID}` },
    { method: 'GET', url: `/api/v1.0/servicePrincipals/${NO_ID}/appRoleAssignedTo` },
    {
      method: 'POST',
      url: `/api/v1.0/servicePrincipals/${NO_ID}/appRoleAssignedTo`,
      payload: { principalId: NO_ID },
    },
    { method: 'DELETE', url: `/api/v1.0/servicePrincipals/${NO_ID}/appRoleAssignedTo/${NO_ID}` },
  ]);
});

describe('servicePrincipals', () => {
  it('adds a non-gallery SCIM application with the default User role (201) and records it', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1.0/servicePrincipals',
      headers: { cookie: t.admin },
      payload: { displayName: 'Contoso HR', notes: 'Our HR system' },
    });
    expect(res.statusCode).toBe(201);
    const sp = res.json();
    expect(sp).toMatchObject({
      displayName: 'Contoso HR',
      notes: 'Our HR system',
      applicationTemplateId: 'scim',
    });
    expect(sp.appRoles).toEqual([
      expect.objectContaining({
        id: DEFAULT_ACCESS_ROLE_ID,
        displayName: 'User',
        allowedMemberTypes: ['User'],
        isEnabled: true,
      }),
    ]);
    const audit = (await auditEvents(t)).find((e) => e.targetResources[0]?.id === sp.id)!;
    expect(audit).toMatchObject({
      activityDisplayName: 'Add service principal',
      category: 'ApplicationManagement',
    });
  });

  it('lists with $search and reads one; 404 service_principal.not_found for an unknown id', async () => {
    const id = await createApp('Searchable Expenses');
    const list = await t.app.inject({
      url: '/api/v1.0/servicePrincipals?$search=searchable',
      headers: { cookie: t.admin },
    });
    expect(list.statusCode).toBe(200);
    expect(list.json().value.map((s: { id: string }) => s.id)).toEqual([id]);
    const one = await t.app.inject({
      url: `/api/v1.0/servicePrincipals/${id}`,
      headers: { cookie: t.admin },
    });
    expect(one.json().id).toBe(id);
    const missing = await t.app.inject({
      url: `/api/v1.0/servicePrincipals/${NO_ID}`,
      headers: { cookie: t.admin },
    });
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing).code).toBe('service_principal.not_found');
  });

  it('answers 400 naming body/displayName', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1.0/servicePrincipals',
      headers: { cookie: t.admin },
      payload: { notes: 'x' },
    });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).details?.[0]?.target).toBe('body/displayName');
  });

  it('deletes an application with its assignments and job (204)', async () => {
    const id = await createApp('Short-lived');
    const userId = await createUser(t, 'short@contoso.com');
    await t.app.inject({
      method: 'POST',
      url: `/api/v1.0/servicePrincipals/${id}/appRoleAssignedTo`,
      headers: { cookie: t.admin },
      payload: { principalId: userId },
    });
    await t.app.inject({
      method: 'POST',
      url: `/api/v1.0/servicePrincipals/${id}/synchronization/jobs`,
      headers: { cookie: t.admin },
      payload: { templateId: 'scim' },
    });
    const res = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1.0/servicePrincipals/${id}`,
      headers: { cookie: t.admin },
    });
    expect(res.statusCode).toBe(204);
    expect(await t.db.jobs.listJobsOf(id)).toHaveLength(0);
    expect(await t.db.applications.listAssignmentsOf(id)).toHaveLength(0);
    const again = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1.0/servicePrincipals/${id}`,
      headers: { cookie: t.admin },
    });
    expect(again.statusCode).toBe(404);
    expect(errorOf(again).code).toBe('service_principal.not_found');
  });
});

describe('appRoleAssignedTo', () => {
  it('assigns a user and a group (201), lists them, refuses a duplicate (409) and unassigns (204)', async () => {
    const spId = await createApp('Assignments App');
    const userId = await createUser(t, 'assigned@contoso.com', { displayName: 'Assigned Person' });
    const group = await t.app.inject({
      method: 'POST',
      url: '/api/v1.0/groups',
      headers: { cookie: t.admin },
      payload: { displayName: 'Assigned Group' },
    });
    const groupId = group.json().id as string;

    const userAssignment = await t.app.inject({
      method: 'POST',
      url: `/api/v1.0/servicePrincipals/${spId}/appRoleAssignedTo`,
      headers: { cookie: t.admin },
      payload: { principalId: userId },
    });
    expect(userAssignment.statusCode).toBe(201);
    expect(userAssignment.json()).toMatchObject({
      principalId: userId,
      principalType: 'User',
      principalDisplayName: 'Assigned Person',
      resourceId: spId,
      resourceDisplayName: 'Assignments App',
      appRoleId: DEFAULT_ACCESS_ROLE_ID,
    });
    const groupAssignment = await t.app.inject({
      method: 'POST',
      url: `/api/v1.0/servicePrincipals/${spId}/appRoleAssignedTo`,
      headers: { cookie: t.admin },
      payload: { principalId: groupId, appRoleId: DEFAULT_ACCESS_ROLE_ID, resourceId: spId },
    });
    expect(groupAssignment.statusCode).toBe(201);
    expect(groupAssignment.json().principalType).toBe('Group');

    const list = await t.app.inject({
      url: `/api/v1.0/servicePrincipals/${spId}/appRoleAssignedTo`,
      headers: { cookie: t.admin },
    });
    expect(list.statusCode).toBe(200);
    expect(list.json().value.map((a: { principalDisplayName: string }) => a.principalDisplayName)).toEqual([
      'Assigned Group',
      'Assigned Person',
    ]);

    const dup = await t.app.inject({
      method: 'POST',
      url: `/api/v1.0/servicePrincipals/${spId}/appRoleAssignedTo`,
      headers: { cookie: t.admin },
      payload: { principalId: userId },
    });
    expect(dup.statusCode).toBe(409);
    expect(errorOf(dup).code).toBe('app_role_assignment.conflict');

    const assignmentId = userAssignment.json().id as string;
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1.0/servicePrincipals/${spId}/appRoleAssignedTo/${assignmentId}`,
      headers: { cookie: t.admin },
    });
    expect(del.statusCode).toBe(204);
    const again = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1.0/servicePrincipals/${spId}/appRoleAssignedTo/${assignmentId}`,
      headers: { cookie: t.admin },
    });
    expect(again.statusCode).toBe(404);
    expect(errorOf(again).code).toBe('app_role_assignment.not_found');

    const activities = (await auditEvents(t))
      .filter((e) => e.targetResources[0]?.id === spId && e.category === 'ApplicationManagement')
      .map((e) => e.activityDisplayName);
    expect(activities).toEqual(
      expect.arrayContaining([
        'Add app role assignment grant to user',
        'Add app role assignment to group',
        'Remove app role assignment from user',
      ]),
    );
  });

  it('answers 400 naming body/principalId when the principal does not exist', async () => {
    const spId = await createApp('Principal App');
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1.0/servicePrincipals/${spId}/appRoleAssignedTo`,
      headers: { cookie: t.admin },
      payload: { principalId: NO_ID },
    });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).code).toBe('app_role_assignment.principal_not_found');
    expect(errorOf(res).details?.[0]?.target).toBe('body/principalId');
  });

  it('answers 400 naming the field for a malformed body, an unknown role or another resource', async () => {
    const spId = await createApp('Role App');
    const userId = await createUser(t, 'role@contoso.com');
    const cases: [object, string][] = [
      [{}, 'body/principalId'],
      [{ principalId: userId, appRoleId: NO_ID }, 'body/appRoleId'],
      [{ principalId: userId, resourceId: NO_ID }, 'body/resourceId'],
      [{ principalId: userId, role: 'x' }, 'body/role'],
    ];
    for (const [payload, target] of cases) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1.0/servicePrincipals/${spId}/appRoleAssignedTo`,
        headers: { cookie: t.admin },
        payload,
      });
      expect(res.statusCode).toBe(400);
      expect(errorOf(res).details?.[0]?.target).toBe(target);
    }
  });

  it('answers 404 service_principal.not_found for assignments of an unknown application', async () => {
    const list = await t.app.inject({
      url: `/api/v1.0/servicePrincipals/${NO_ID}/appRoleAssignedTo`,
      headers: { cookie: t.admin },
    });
    expect(list.statusCode).toBe(404);
    expect(errorOf(list).code).toBe('service_principal.not_found');
  });
});
