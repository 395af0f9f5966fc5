// App roles in real cycles against the sample app: the role of an assignment reaches the target
// through the role functions, a changed role is sent with PATCH in Entra's shapes, and a user whose
// role was removed from the application is not effectively entitled.
import { describe, expect, it } from 'vitest';
import type { AttributeMapping } from '@provisio/engine';
import type { ProvisioDb } from '@provisio/db';
import { addUser, DEFAULT_ROLE, defaultUserMappings, seedJob } from './harness';
import { cycleSuite } from './suite';

const s = cycleSuite();

const ADMIN_ROLE = '6f1c2a7e-3b9d-4c1e-9a55-0d2f8b7c4e11';
const READER_ROLE = 'b2e4f6a8-1c3d-4e5f-8a9b-0c1d2e3f4a5b';
/** An app role as the application stores it. */
type AppRole = NonNullable<
  Parameters<ProvisioDb['applications']['updateServicePrincipal']>[1]['appRoles']
>[number];
const role = (id: string, displayName: string, value: string, isEnabled = true): AppRole => ({
  id,
  displayName,
  value,
  description: displayName,
  allowedMemberTypes: ['User'],
  isEnabled,
});
const appRoles = [
  { ...role(DEFAULT_ROLE, 'User', ''), value: null },
  role(ADMIN_ROLE, 'Administrator', 'Admin'),
  role(READER_ROLE, 'Reader', 'Reader'),
];

/** The default user mappings plus `roles` fed by a role function. */
const withRoles = (expression: string): AttributeMapping[] => {
  const base = defaultUserMappings();
  return [
    ...base,
    {
      ...base[0]!,
      targetAttributeName: 'roles',
      source: { type: 'Function', name: null, expression, parameters: [] },
      matchingPriority: 0,
      defaultValue: null,
      flowType: 'Always',
    },
  ];
};

async function seedWithRoles(expression: string) {
  const { spId, jobId } = await seedJob(s.db, s.app, { mappings: withRoles(expression) });
  await s.db.applications.updateServicePrincipal(spId, { appRoles });
  return { spId, jobId };
}

const assignWith = async (spId: string, userId: string, appRoleId: string) =>
  (
    await s.db.applications.insertAssignment({
      servicePrincipalId: spId,
      principalId: userId,
      principalType: 'User',
      appRoleId,
    })
  ).id;

const patchOperations = async () =>
  (await s.app.requests())
    .filter((r) => r.method === 'PATCH')
    .flatMap((r) => (r.body as { Operations: unknown[] }).Operations);

describe('SingleAppRoleAssignment', () => {
  it('creates the account with its role; a changed role is sent as PATCH Add of the role as a JSON string', async () => {
    const { spId, jobId } = await seedWithRoles('SingleAppRoleAssignment([appRoleAssignments])');
    const lee = await addUser(s.db, 'lee');
    const assignment = await assignWith(spId, lee.id, ADMIN_ROLE);

    const created = await s.cycle(jobId);
    expect(created).toMatchObject({ state: 'Succeeded', tally: { created: 1 } });
    const post = (await s.app.requests()).find((r) => r.method === 'POST');
    expect((post?.body as { roles: unknown }).roles).toEqual([
      { primary: true, type: 'WindowsAzureActiveDirectoryRole', value: 'Admin' },
    ]);
    expect((await s.account('lee@contoso.com'))?.roles).toEqual([
      { primary: true, type: 'WindowsAzureActiveDirectoryRole', value: 'Admin' },
    ]);

    // Nothing changed: the role already there is not sent again.
    await s.app.clearRequests();
    expect((await s.cycle(jobId)).tally).toMatchObject({ updated: 0 });

    await s.db.applications.deleteAssignment(assignment);
    await assignWith(spId, lee.id, READER_ROLE);
    await s.app.clearRequests();
    const changed = await s.cycle(jobId);
    expect(changed).toMatchObject({ state: 'Succeeded', tally: { updated: 1 } });
    expect(await patchOperations()).toEqual([
      {
        op: 'Add',
        path: 'roles',
        value: [{ value: JSON.stringify({ id: READER_ROLE, value: 'Reader', displayName: 'Reader' }) }],
      },
    ]);
    const roles = (await s.account('lee@contoso.com'))?.roles as { value: string }[];
    expect(roles.map((r) => r.value)).toContain(
      JSON.stringify({ id: READER_ROLE, value: 'Reader', displayName: 'Reader' }),
    );
  });
});

describe('AssertiveAppRoleAssignmentsComplex', () => {
  it('creates with every role not primary; a changed role replaces the roles, so only the new one stays', async () => {
    const { spId, jobId } = await seedWithRoles('AssertiveAppRoleAssignmentsComplex([appRoleAssignments])');
    const kim = await addUser(s.db, 'kim');
    const assignment = await assignWith(spId, kim.id, ADMIN_ROLE);
    await s.cycle(jobId);
    expect((await s.account('kim@contoso.com'))?.roles).toEqual([
      { primary: false, type: 'WindowsAzureActiveDirectoryRole', value: 'Admin' },
    ]);

    // Change role: the assignment keeps its id, so Kim is never unassigned in between.
    await s.db.applications.updateAssignmentRole(assignment, READER_ROLE);
    await s.app.clearRequests();
    const changed = await s.cycle(jobId);
    expect(changed.tally).toMatchObject({ updated: 1 });
    expect(await patchOperations()).toEqual([
      {
        op: 'Replace',
        path: 'roles',
        value: [{ primary: false, type: 'WindowsAzureActiveDirectoryRole', value: 'Reader' }],
      },
    ]);
    expect((await s.account('kim@contoso.com'))?.roles).toEqual([
      { primary: false, type: 'WindowsAzureActiveDirectoryRole', value: 'Reader' },
    ]);
    const [event] = await s.events(jobId, { cycleId: changed.cycleId });
    expect(event?.provisioningAction).toBe('update');
    expect(event?.modifiedProperties).toContainEqual(
      expect.objectContaining({ displayName: 'roles', newValue: expect.stringContaining('Reader') }),
    );
  });
});

describe('an assignment whose role the application no longer has', () => {
  it('is not effectively entitled: skipped, with the cause and the fix (reassign) in the event', async () => {
    const { spId, jobId } = await seedWithRoles('SingleAppRoleAssignment([appRoleAssignments])');
    const ana = await addUser(s.db, 'ana');
    await assignWith(spId, ana.id, ADMIN_ROLE);
    await s.db.applications.updateServicePrincipal(spId, {
      appRoles: appRoles.map((r) => (r.id === ADMIN_ROLE ? { ...r, isEnabled: false } : r)),
    });

    const report = await s.cycle(jobId);
    expect(report.tally).toMatchObject({ skipped: 1, created: 0 });
    expect(await s.account('ana@contoso.com')).toBeUndefined();
    const [event] = await s.events(jobId, { cycleId: report.cycleId });
    expect(event?.provisioningStatusInfo).toMatchObject({
      status: 'skipped',
      errorInformation: {
        errorCode: 'NotEffectivelyEntitled',
        reason: expect.stringContaining('names an app role that the application no longer has'),
        recommendedAction: expect.stringMatching(/^Reassign the user to an existing role/),
      },
    });
  });
});
