// Reference attributes against the real sample app: a user's manager is sent as the manager's id
// in the target, once both exist; changed and cleared with the directory; waiting, not failing,
// while the manager is not provisioned.
import { describe, expect, it } from 'vitest';
import {
  addUser,
  assign,
  ENTERPRISE,
  managerValue,
  seedJob,
  seedManagerTeam,
  withManagerMapping,
} from './harness';
import { cycleSuite } from './suite';

const t = cycleSuite();

const MANAGER = `${ENTERPRISE}:manager`;

/** The manager id the target holds for an account, if any. */
const managerOf = async (userName: string) => managerValue(await t.account(userName));

async function targetIdOf(userName: string): Promise<string | undefined> {
  return (await t.account(userName))?.id;
}

describe('manager references', () => {
  it('sets the manager after both exist, then follows changes and removal', async () => {
    const { jobId, ana, cai, ben } = await seedManagerTeam(t.db, t.app);

    const initial = await t.cycle(jobId);
    expect(initial.state).toBe('Succeeded');
    // Created without a manager (the directory id is never sent), then set to Ana's id in the target.
    const posted = (await t.app.requests()).find(
      (r) => r.method === 'POST' && JSON.stringify(r.body).includes('ben@contoso.com'),
    );
    expect(JSON.stringify(posted?.body)).not.toContain(ana.id);
    expect(await managerOf('ben@contoso.com')).toBe(await targetIdOf('ana@contoso.com'));
    const event = (await t.events(jobId, { sourceId: ben.id })).find(
      (e) => e.provisioningAction === 'update',
    );
    expect(event?.provisioningSteps.map((s) => s.provisioningStepType)).toContain('referenceResolution');
    expect(
      event?.provisioningSteps.find((s) => s.provisioningStepType === 'referenceResolution'),
    ).toMatchObject({
      status: 'success',
      details: {
        Attribute: MANAGER,
        ReferencedObjectId: ana.id,
        TargetId: await targetIdOf('ana@contoso.com'),
      },
    });

    // Changed: one PATCH with the new manager's target id.
    await t.app.clearRequests();
    await t.db.directory.updateUser(ben.id, { managerId: cai.id });
    const changed = await t.cycle(jobId);
    expect(await managerOf('ben@contoso.com')).toBe(await targetIdOf('cai@contoso.com'));
    // Ben's one event of the cycle is the update of his manager, not also an "already match".
    const benEvents = await t.events(jobId, { cycleId: changed.cycleId, sourceId: ben.id });
    expect(benEvents.map((e) => [e.provisioningAction, e.provisioningStatusInfo.status])).toEqual([
      ['update', 'success'],
    ]);
    expect(changed.tally).toMatchObject({ skipped: 0, updated: 1 });
    const patches = (await t.app.requests()).filter((r) => r.method === 'PATCH');
    expect(patches).toHaveLength(1);
    expect(patches[0]?.body).toMatchObject({
      Operations: [{ op: 'Add', path: MANAGER, value: [{ value: await targetIdOf('cai@contoso.com') }] }],
    });

    // Changed to someone not provisioned: the old reference is removed, and the event names the
    // new manager as the directory does.
    const dee = await addUser(t.db, 'dee');
    await t.db.directory.updateUser(ben.id, { managerId: dee.id });
    const toDee = await t.cycle(jobId);
    expect(await managerOf('ben@contoso.com')).toBeUndefined();
    const [removed] = await t.events(jobId, { cycleId: toDee.cycleId, sourceId: ben.id });
    expect(
      removed?.provisioningSteps.find((s) => s.provisioningStepType === 'referenceResolution')?.description,
    ).toBe(
      `The ${MANAGER} of the User 'ben@contoso.com' is User 'dee@contoso.com', which is not in Sample SCIM App: the reference is removed, and set again in the cycle that provisions it`,
    );

    // Cleared: the reference is removed in the target.
    await t.db.directory.updateUser(ben.id, { managerId: cai.id });
    await t.cycle(jobId);
    await t.db.directory.updateUser(ben.id, { managerId: null });
    await t.cycle(jobId);
    expect(await managerOf('ben@contoso.com')).toBeUndefined();
  });

  it('a manager not provisioned yet: the user is provisioned without it, and the reference is set once the manager is', async () => {
    const { spId, jobId } = await seedJob(t.db, t.app, { mappings: withManagerMapping() });
    const dan = await addUser(t.db, 'dan');
    const eve = await addUser(t.db, 'eve', { managerId: dan.id });
    await assign(t.db, spId, eve.id);

    const first = await t.cycle(jobId);
    expect(first.state).toBe('Succeeded');
    expect(first.tally).toMatchObject({ failed: 0, created: 1, skipped: 0 });
    expect(await t.account('eve@contoso.com')).toBeDefined();
    expect(await managerOf('eve@contoso.com')).toBeUndefined();
    // Eve's one event: her creation, which says why her manager is not set yet (nothing sent for it).
    const waitsText = `The ${MANAGER} of the User 'eve@contoso.com' is User 'dan@contoso.com', which is not provisioned in Sample SCIM App: the reference is set in the cycle that provisions it`;
    const events = await t.events(jobId, { cycleId: first.cycleId, sourceId: eve.id });
    expect(events.map((e) => [e.provisioningAction, e.provisioningStatusInfo.status])).toEqual([
      ['create', 'success'],
    ]);
    expect(events[0]?.provisioningSteps.map((s) => s.provisioningStepType)).toEqual([
      'import',
      'scoping',
      'matching',
      'referenceResolution',
      'export',
    ]);
    expect(
      events[0]?.provisioningSteps.find((s) => s.provisioningStepType === 'referenceResolution'),
    ).toMatchObject({ status: 'skipped', description: waitsText });

    // Dan changes (he is not assigned, a skip): the cycle visits his reports, and Eve's event says
    // her reference still waits, as a skip of its own, not counted again.
    await t.db.directory.updateUser(dan.id, { jobTitle: 'Director' });
    const visited = await t.cycle(jobId);
    expect(visited.tally).toMatchObject({ skipped: 1, updated: 0 });
    const [waiting] = await t.events(jobId, { cycleId: visited.cycleId, sourceId: eve.id });
    expect(waiting?.provisioningStatusInfo.errorInformation).toMatchObject({
      errorCode: 'ReferencePending',
      reason: `The User 'eve@contoso.com' is in Sample SCIM App, but a reference of it waits: its ${MANAGER}, User 'dan@contoso.com' (${dan.id}), is not provisioned in Sample SCIM App. The reference is set in the cycle that provisions it.`,
    });
    expect(
      waiting?.provisioningSteps.find((s) => s.provisioningStepType === 'referenceResolution'),
    ).toMatchObject({ status: 'skipped', description: waitsText });

    // Dan is assigned: created in the users phase, then Eve's reference resolves in the same cycle.
    await assign(t.db, spId, dan.id);
    const next = await t.cycle(jobId);
    expect(next).toMatchObject({ kind: 'Incremental', state: 'Succeeded' });
    expect(await managerOf('eve@contoso.com')).toBe(await targetIdOf('dan@contoso.com'));
  });

  it('a user whose own update failed gets one failure for the cycle: its manager waits for the retry', async () => {
    const { jobId, cai, ben } = await seedManagerTeam(t.db, t.app);
    await t.cycle(jobId);

    await t.db.directory.updateUser(ben.id, { managerId: cai.id, jobTitle: 'Lead' });
    await t.app.setFaults({ errorRate: 1, errorStatus: 500 });
    await t.app.clearRequests();
    const failing = await t.cycle(jobId);
    await t.app.clearFaults();
    const events = await t.events(jobId, { cycleId: failing.cycleId, sourceId: ben.id });
    expect(events.map((e) => e.provisioningStatusInfo.status)).toEqual(['failure']);
    expect(failing.tally).toMatchObject({ failed: 1, updated: 0 });
    // Nothing was sent for the manager: only the user's own attempts.
    const managerPatches = (await t.app.requests()).filter(
      (r) => r.method === 'PATCH' && JSON.stringify(r.body).includes(MANAGER),
    );
    expect(managerPatches).toHaveLength(0);
    expect(await managerOf('ben@contoso.com')).toBe(await targetIdOf('ana@contoso.com'));
  });

  it('a manager deleted from the target is removed from its reports', async () => {
    const { spId, jobId } = await seedJob(t.db, t.app, { mappings: withManagerMapping() });
    const ana = await addUser(t.db, 'ana');
    const ben = await addUser(t.db, 'ben', { managerId: ana.id });
    for (const u of [ana, ben]) await assign(t.db, spId, u.id);
    await t.cycle(jobId);
    expect(await managerOf('ben@contoso.com')).toBe(await targetIdOf('ana@contoso.com'));

    await t.db.directory.hardDeleteUser(ana.id);
    const report = await t.cycle(jobId);
    expect(report.tally.deleted).toBe(1);
    expect(await t.account('ana@contoso.com')).toBeUndefined();
    expect(await managerOf('ben@contoso.com')).toBeUndefined();
  });
});
