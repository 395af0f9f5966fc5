// Accidental deletion prevention against the real sample app: a cycle that would remove more
// objects than the threshold removes none of them, stages them in the logs and quarantines the job;
// Allow deletes (Restart with ForceDeletes) lets exactly those removals through.
import { describe, expect, it } from 'vitest';
import { addUser, assign, mapInOrder, seedJob } from './harness';
import { cycleSuite } from './suite';

const t = cycleSuite();

describe('accidental deletion prevention', () => {
  it('threshold 3, five users unassigned: five StagedDelete events, nothing disabled, TooManyDeletes; Allow deletes disables exactly those five', async () => {
    const { spId, jobId } = await seedJob(t.db, t.app, {
      settings: { QuarantineTooManyDeletesThreshold: '3' },
    });
    const users = await mapInOrder(['ana', 'ben', 'cai', 'dee', 'eve', 'fay'], (n) => addUser(t.db, n));
    const assignments = await mapInOrder(users, (u) => assign(t.db, spId, u.id));
    expect((await t.cycle(jobId)).tally.created).toBe(6);
    const watermark = (await t.db.jobs.getJob(jobId)).watermark;

    for (const a of assignments.slice(0, 5)) await t.db.applications.deleteAssignment(a);
    const held = await t.cycle(jobId);
    expect(held.tally).toMatchObject({ staged: 5, disabled: 0 });
    const staged = await t.events(jobId, { cycleId: held.cycleId });
    expect(staged).toHaveLength(5);
    for (const e of staged) {
      expect(e).toMatchObject({
        provisioningAction: 'stagedDelete',
        provisioningStatusInfo: { status: 'skipped', errorInformation: { errorCode: 'TooManyDeletes' } },
      });
    }
    for (const u of users) expect((await t.account(u.userPrincipalName))?.active).toBe(true);
    let job = await t.db.jobs.getJob(jobId);
    expect(job).toMatchObject({ statusCode: 'Quarantine', watermark });
    expect(job.status.quarantine).toMatchObject({ reason: 'TooManyDeletes' });

    // Held again by the next cycle: the watermark did not pass those changes.
    expect((await t.cycle(jobId)).tally).toMatchObject({ staged: 5, disabled: 0 });
    const audit = async (activity: string) =>
      (await t.db.events.listAuditEvents({}, { top: 100 })).items.filter(
        (e) => e.activityDisplayName === activity,
      );
    const exceeded = await audit('Accidental deletion threshold exceeded');
    expect(exceeded).toHaveLength(1);
    expect(exceeded[0]).toMatchObject({
      correlationId: held.cycleId,
      resultReason: expect.stringContaining(
        'would remove 5 objects from Sample SCIM App, more than the accidental deletion threshold of 3',
      ),
      additionalDetails: expect.arrayContaining([{ key: 'Removals', value: '5' }]),
    });

    // Allow deletes, as the API's Restart with ForceDeletes records it.
    await t.db.jobs.updateJob(jobId, { forceDeletes: true });
    const allowed = await t.cycle(jobId);
    expect(allowed.tally).toMatchObject({ disabled: 5, staged: 0 });
    for (const u of users.slice(0, 5)) expect((await t.account(u.userPrincipalName))?.active).toBe(false);
    expect((await t.account('fay@contoso.com'))?.active).toBe(true);
    expect(await audit('Held deletions allowed')).toEqual([
      expect.objectContaining({
        correlationId: allowed.cycleId,
        additionalDetails: expect.arrayContaining([{ key: 'RemovalsCarriedOut', value: '5' }]),
      }),
    ]);
    job = await t.db.jobs.getJob(jobId);
    expect(job).toMatchObject({ statusCode: 'Active', forceDeletes: false, status: { quarantine: null } });
    expect(job.watermark).toBeGreaterThan(watermark ?? 0);
  });

  it('removals up to the threshold go through; the setting off lets any number through', async () => {
    const { spId, jobId } = await seedJob(t.db, t.app, {
      settings: { QuarantineTooManyDeletesThreshold: '2' },
    });
    const users = await mapInOrder(['ana', 'ben', 'cai'], (n) => addUser(t.db, n));
    const assignments = await mapInOrder(users, (u) => assign(t.db, spId, u.id));
    await t.cycle(jobId);
    for (const a of assignments.slice(0, 2)) await t.db.applications.deleteAssignment(a);
    expect((await t.cycle(jobId)).tally).toMatchObject({ disabled: 2, staged: 0 });

    const other = await seedJob(t.db, t.app, {
      displayName: 'Unguarded',
      settings: { QuarantineTooManyDeletesThreshold: '1', DeleteThresholdEnabled: 'false' },
    });
    const more = await mapInOrder(['gus', 'hal'], (n) => addUser(t.db, n));
    const ids = await mapInOrder(more, (u) => assign(t.db, other.spId, u.id));
    await t.cycle(other.jobId);
    for (const a of ids) await t.db.applications.deleteAssignment(a);
    expect((await t.cycle(other.jobId)).tally).toMatchObject({ disabled: 2, staged: 0 });
  });
});
