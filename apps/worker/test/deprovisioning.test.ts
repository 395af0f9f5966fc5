// Deprovisioning, one scenario per trigger: unassigned, out of scope, disabled, soft-deleted,
// hard-deleted; SkipOutOfScopeDeletions; re-enabling reactivates.
import { describe, expect, it } from 'vitest';
import { addUser, assign, scopeOf, seedJob } from './harness';
import { cycleSuite } from './suite';

const t = cycleSuite();

async function provisioned(
  secrets: Record<string, string> = {},
  scope = scopeOf('department', 'EQUALS', 'Sales'),
) {
  const adele = await addUser(t.db, 'adele', { department: 'Sales' });
  const { spId, jobId } = await seedJob(t.db, t.app, { secrets, scope });
  const assignmentId = await assign(t.db, spId, adele.id);
  await t.cycle(jobId);
  const account = await t.account('adele@contoso.com');
  expect(account?.active).toBe(true);
  await t.app.clearRequests();
  return { adele, jobId, spId, assignmentId, accountId: account?.id ?? '' };
}

/** The one request of the cycle, which must be Entra's disable. */
async function expectOneDisable(accountId: string) {
  const requests = (await t.app.requests()).map((r) => ({ call: `${r.method} ${r.path}`, body: r.body }));
  expect(requests).toEqual([
    { call: `GET /scim/v2/Users/${accountId}`, body: null },
    {
      call: `PATCH /scim/v2/Users/${accountId}`,
      body: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
      },
    },
  ]);
  expect((await t.account('adele@contoso.com'))?.active).toBe(false);
}

describe('disable (PATCH active false)', () => {
  it('on unassignment', async () => {
    const p = await provisioned();
    await t.db.applications.deleteAssignment(p.assignmentId);
    const report = await t.cycle(p.jobId);
    expect(report.tally).toMatchObject({ disabled: 1 });
    await expectOneDisable(p.accountId);
    const [event] = await t.events(p.jobId, { cycleId: report.cycleId });
    expect(event).toMatchObject({
      provisioningAction: 'disable',
      provisioningStatusInfo: { status: 'success' },
    });
    expect(await t.db.connector.findObject(p.jobId, p.adele.id)).toMatchObject({
      state: 'disabled',
      inScope: false,
    });
  });

  it('when the user leaves the scoping filter', async () => {
    const p = await provisioned();
    await t.db.directory.updateUser(p.adele.id, { department: 'Marketing' });
    const report = await t.cycle(p.jobId);
    expect(report.tally).toMatchObject({ disabled: 1 });
    await expectOneDisable(p.accountId);
  });

  it('when the account is disabled in the directory (accountEnabled false)', async () => {
    const p = await provisioned();
    await t.db.directory.updateUser(p.adele.id, { accountEnabled: false });
    await t.cycle(p.jobId);
    await expectOneDisable(p.accountId);
  });

  it('when the user is soft-deleted (recycle bin)', async () => {
    const p = await provisioned();
    await t.db.directory.softDeleteUser(p.adele.id);
    await t.cycle(p.jobId);
    await expectOneDisable(p.accountId);
  });
});

describe('delete', () => {
  it('a hard-deleted user is DELETEd when the Delete action is on', async () => {
    const p = await provisioned();
    await t.db.directory.hardDeleteUser(p.adele.id);
    const report = await t.cycle(p.jobId);
    expect(report.tally).toMatchObject({ deleted: 1 });
    expect((await t.app.requests()).map((r) => `${r.method} ${r.path}`)).toEqual([
      `DELETE /scim/v2/Users/${p.accountId}`,
    ]);
    expect(await t.account('adele@contoso.com')).toBeUndefined();
    expect((await t.db.connector.findObject(p.jobId, p.adele.id))?.state).toBe('deleted');
  });
});

describe('SkipOutOfScopeDeletions', () => {
  it('leaves the account of a user who left scope as it is, and says so', async () => {
    const p = await provisioned({ SkipOutOfScopeDeletions: 'True' });
    await t.db.applications.deleteAssignment(p.assignmentId);
    await t.db.directory.updateUser(p.adele.id, { department: 'Marketing' });
    const report = await t.cycle(p.jobId);
    expect(report.tally).toMatchObject({ disabled: 0, skipped: 1 });
    expect((await t.app.requests()).filter((r) => r.method !== 'GET')).toEqual([]);
    expect((await t.account('adele@contoso.com'))?.active).toBe(true);
    const [event] = await t.events(p.jobId, { cycleId: report.cycleId });
    expect(event?.provisioningStatusInfo.errorInformation?.additionalDetails).toContain(
      'SkipOutOfScopeDeletions',
    );
  });
});

describe('reactivation', () => {
  it('re-enabling a disabled user reactivates the account (PATCH active true)', async () => {
    const p = await provisioned();
    await t.db.directory.updateUser(p.adele.id, { accountEnabled: false });
    await t.cycle(p.jobId);
    await t.db.directory.updateUser(p.adele.id, { accountEnabled: true });
    await t.app.clearRequests();
    const report = await t.cycle(p.jobId);
    expect(report.tally).toMatchObject({ updated: 1 });
    const patch = (await t.app.requests()).find((r) => r.method === 'PATCH');
    expect(patch?.body).toMatchObject({ Operations: [{ op: 'Replace', path: 'active', value: 'True' }] });
    expect((await t.account('adele@contoso.com'))?.active).toBe(true);
    expect(await t.db.connector.findObject(p.jobId, p.adele.id)).toMatchObject({
      state: 'linked',
      inScope: true,
    });
  });

  it('restoring a soft-deleted user reactivates the account', async () => {
    const p = await provisioned();
    await t.db.directory.softDeleteUser(p.adele.id);
    await t.cycle(p.jobId);
    await t.db.directory.restoreUser(p.adele.id);
    await t.cycle(p.jobId);
    expect((await t.account('adele@contoso.com'))?.active).toBe(true);
  });
});
