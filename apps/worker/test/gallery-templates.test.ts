// A job created from a gallery template runs against the real sample app: the bundled sample app's
// template provisions users (with the enterprise extension), a group and its members.
import { defaultAppRoles } from '@provisio/db';
import { sampleAppTemplate } from '@provisio/gallery';
import { describe, expect, it } from 'vitest';
import { addUser } from './harness';
import { cycleSuite } from './suite';

const t = cycleSuite();

async function seedFromTemplate() {
  const sp = await t.db.applications.insertServicePrincipal({
    displayName: 'Sample from the gallery',
    applicationTemplateId: sampleAppTemplate.id,
    appRoles: [...defaultAppRoles(), ...sampleAppTemplate.appRoles.map((r) => ({ ...r, isEnabled: true }))],
  });
  const jobId = `${sampleAppTemplate.synchronizationTemplateId}.${sp.id.replace(/-/g, '')}`;
  await t.db.jobs.insertJob({
    id: jobId,
    servicePrincipalId: sp.id,
    templateId: sampleAppTemplate.synchronizationTemplateId,
    schema: sampleAppTemplate.defaultSchema(jobId),
    intervalSeconds: 2400,
    settings: {},
  });
  await t.db.jobs.setSecrets(jobId, { BaseAddress: t.app.scimBaseUrl, SecretToken: t.app.token });
  await t.db.jobs.updateJob(jobId, { scheduleState: 'Active', statusCode: 'NotRun' });
  return { spId: sp.id, jobId };
}

describe('a job from the sample app template', () => {
  it('creates the assigned users with the enterprise extension, then the group with its members', async () => {
    const { spId, jobId } = await seedFromTemplate();
    const ana = await addUser(t.db, 'ana', { department: 'Finance', employeeId: '4711' });
    const ben = await addUser(t.db, 'ben');
    const group = await t.db.directory.insertGroup({ displayName: 'Finance team' });
    await t.db.directory.addMember(group.id, ana.id);
    await t.db.directory.addMember(group.id, ben.id);
    const member = sampleAppTemplate.appRoles.find((r) => r.value === 'Member')!;
    await t.db.applications.insertAssignment({
      servicePrincipalId: spId,
      principalId: ana.id,
      principalType: 'User',
      appRoleId: member.id,
    });
    await t.db.applications.insertAssignment({
      servicePrincipalId: spId,
      principalId: group.id,
      principalType: 'Group',
      appRoleId: defaultAppRoles()[0]!.id,
    });

    const report = await t.cycle(jobId);
    expect(report.state).toBe('Succeeded');
    const account = await t.account('ana@contoso.com');
    expect(account).toMatchObject({
      userName: 'ana@contoso.com',
      active: true,
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': {
        department: 'Finance',
        employeeNumber: '4711',
      },
    });
    expect(await t.account('ben@contoso.com')).toBeDefined();
    const target = (await t.app.groups()).find((g) => g.displayName === 'Finance team');
    expect(target?.members?.map((m) => m.value).sort()).toEqual(
      [account!.id as string, (await t.account('ben@contoso.com'))!.id as string].sort(),
    );
    const failed = (await t.events(jobId)).filter((e) => e.provisioningStatusInfo.status === 'failure');
    expect(failed).toEqual([]);
  });
});
