// Provision on demand: one request's subjects go through the cycle's code path, with the job's lease.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ProvisioDb } from '@provisio/db';
import { ProvisioningWorker } from '../src/index';
import { addUser, assign, managerValue, mapInOrder, seedJob, seedManagerTeam } from './harness';
import { cycleSuite } from './suite';

const t = cycleSuite();
const ADMIN = { id: 'account-1', userName: 'admin' };

function request(db: ProvisioDb, jobId: string, spId: string, ...userIds: string[]) {
  const now = new Date();
  return db.onDemand.insertRequest({
    id: randomUUID(),
    jobId,
    servicePrincipalId: spId,
    ruleId: 'ProvisioToScim',
    subjects: userIds.map((objectId) => ({ objectId, objectTypeName: 'User' as const })),
    requestedBy: ADMIN,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + 30_000).toISOString(),
  });
}

/** A job as the portal leaves it before provisioning is turned on. */
async function pausedJob(settings: Record<string, string> = {}, groups = false) {
  const seeded = await seedJob(t.db, t.app, { settings, ...(groups ? { groups: true as const } : {}) });
  await t.db.jobs.updateJob(seeded.jobId, { scheduleState: 'Disabled', statusCode: 'NotConfigured' });
  return seeded;
}

describe('provision on demand', () => {
  it('sets a user’s manager as a cycle does: one Update in the place of “already match”, or after the creation', async () => {
    const { spId, jobId, ana, cai, ben } = await seedManagerTeam(t.db, t.app);
    await t.cycle(jobId);
    const managerOf = async (userName: string) => managerValue(await t.account(userName));

    // Only the manager changed: the answer is the manager's Update, not "already match".
    await t.db.directory.updateUser(ben.id, { managerId: cai.id });
    const changed = await request(t.db, jobId, spId, ben.id);
    expect(await t.worker.runOnDemandOnce()).toMatchObject({ requestId: changed.id, state: 'Succeeded' });
    expect(await managerOf('ben@contoso.com')).toBe((await t.account('cai@contoso.com'))?.id);
    const results = (await t.db.onDemand.getRequest(changed.id)).results ?? [];
    expect(results.map((r) => [r.event?.provisioningAction, r.event?.provisioningStatusInfo.status])).toEqual(
      [['update', 'success']],
    );
    expect(results[0]?.event?.provisioningSteps.map((s) => s.provisioningStepType)).toContain(
      'referenceResolution',
    );
    expect(await t.events(jobId, { cycleId: changed.id })).toHaveLength(1);

    // A new user whose manager is in the application: created, then its manager set.
    const dee = await addUser(t.db, 'dee', { managerId: ana.id });
    await assign(t.db, spId, dee.id);
    const created = await request(t.db, jobId, spId, dee.id);
    await t.worker.runOnDemandOnce();
    expect(await managerOf('dee@contoso.com')).toBe((await t.account('ana@contoso.com'))?.id);
    const both = (await t.db.onDemand.getRequest(created.id)).results ?? [];
    expect(both.map((r) => r.event?.provisioningAction)).toEqual(['create', 'update']);
  });

  it('creates an assigned user while provisioning is off, with the cycle’s steps and the asker as initiator', async () => {
    const { spId, jobId } = await pausedJob();
    const adele = await addUser(t.db, 'adele');
    await assign(t.db, spId, adele.id);
    const req = await request(t.db, jobId, spId, adele.id);

    // Provisioning is off: no cycle is due, but the request is answered.
    const report = await t.worker.runOnDemandOnce();
    expect(report).toMatchObject({ requestId: req.id, state: 'Succeeded', error: null });
    expect(await t.worker.runOnce()).toBeNull();

    const account = await t.account('adele@contoso.com');
    expect(account).toMatchObject({ displayName: 'Adele Test', active: true });
    const stored = await t.db.onDemand.getRequest(req.id);
    expect(stored.status).toBe('Succeeded');
    const event = stored.results?.[0]?.event;
    expect(event).toMatchObject({
      cycleId: req.id,
      jobId,
      provisioningAction: 'create',
      provisioningStatusInfo: { status: 'success' },
      initiatedBy: { id: ADMIN.id, displayName: 'admin (Provision on demand)', initiatorType: 'user' },
      targetIdentity: { id: account!.id },
    });
    expect(event?.provisioningSteps.map((s) => [s.provisioningStepType, s.status])).toEqual([
      ['import', 'success'],
      ['scoping', 'success'],
      ['matching', 'success'],
      ['export', 'success'],
    ]);
    expect(event?.modifiedProperties).toEqual(
      expect.arrayContaining([{ displayName: 'displayName', oldValue: null, newValue: 'Adele Test' }]),
    );
    // The same event is in the provisioning logs, and the connector data store links the account.
    expect(await t.events(jobId)).toEqual([event]);
    expect(await t.db.connector.findObject(jobId, adele.id)).toMatchObject({
      state: 'linked',
      targetId: account!.id,
    });
    // No cycle was recorded and the watermark is untouched; the job's lease is released.
    const job = await t.db.jobs.getJob(jobId);
    expect(await t.db.cycles.listCycles(jobId, 10)).toEqual([]);
    expect(job).toMatchObject({ watermark: null, cycleCheckpoint: null, leaseOwner: null });
    expect(t.logs.some((l) => l.startsWith(`on-demand ${req.id} job=${jobId} state=Succeeded`))).toBe(true);
  });

  it('updates only what differs on a linked user, and a later cycle finds nothing to send', async () => {
    const { spId, jobId } = await pausedJob();
    const alex = await addUser(t.db, 'alex');
    await assign(t.db, spId, alex.id);
    await request(t.db, jobId, spId, alex.id);
    await t.worker.runOnDemandOnce();
    const account = await t.account('alex@contoso.com');

    await t.db.directory.updateUser(alex.id, { jobTitle: 'Director' });
    await t.app.clearRequests();
    const req = await request(t.db, jobId, spId, alex.id);
    await t.worker.runOnDemandOnce();
    const event = (await t.db.onDemand.getRequest(req.id)).results?.[0]?.event;
    expect(event).toMatchObject({
      provisioningAction: 'update',
      provisioningStatusInfo: { status: 'success' },
    });
    expect(event?.modifiedProperties).toEqual([
      { displayName: 'title', oldValue: 'Engineer', newValue: 'Director' },
    ]);
    expect((await t.app.requests()).map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /scim/v2/Users/${account!.id}`,
      `PATCH /scim/v2/Users/${account!.id}`,
    ]);

    // Provisioning turned on: the initial cycle matches the account by its link and skips it.
    await t.db.jobs.updateJob(jobId, { scheduleState: 'Active', statusCode: 'NotRun' });
    const report = await t.cycle(jobId);
    expect(report.tally).toMatchObject({ imported: 1, created: 0, updated: 0, skipped: 1 });
  });

  it('skips a user who is not assigned (NotEffectivelyEntitled) and creates nothing', async () => {
    const { spId, jobId } = await pausedJob();
    const megan = await addUser(t.db, 'megan');
    const req = await request(t.db, jobId, spId, megan.id);
    await t.worker.runOnDemandOnce();
    const event = (await t.db.onDemand.getRequest(req.id)).results?.[0]?.event;
    expect(event).toMatchObject({
      provisioningAction: 'other',
      provisioningStatusInfo: {
        status: 'skipped',
        errorInformation: { errorCode: 'NotEffectivelyEntitled' },
      },
    });
    expect(event?.provisioningSteps.find((s) => s.provisioningStepType === 'scoping')?.status).toBe(
      'skipped',
    );
    expect(event?.provisioningStatusInfo.errorInformation?.recommendedAction).toBeTruthy();
    expect(await t.account('megan@contoso.com')).toBeUndefined();
    expect(await t.db.connector.findObject(jobId, megan.id)).toBeNull();
  });

  it('records a failure of the application as a cycle would (failure event, escrow)', async () => {
    const { spId, jobId } = await pausedJob({ ExportRetryAttempts: '1', ExportRetryDelay: 'PT0.02S' });
    const nestor = await addUser(t.db, 'nestor');
    await assign(t.db, spId, nestor.id);
    await t.app.setFaults({ errorRate: 1, errorStatus: 503 });
    const req = await request(t.db, jobId, spId, nestor.id);
    const report = await t.worker.runOnDemandOnce();
    expect(report?.state).toBe('Succeeded');
    const event = (await t.db.onDemand.getRequest(req.id)).results?.[0]?.event;
    expect(event?.provisioningStatusInfo).toMatchObject({
      status: 'failure',
      errorInformation: { errorCode: 'WebExceptionProtocolError' },
    });
    expect(await t.db.escrows.findEscrow(jobId, nestor.id)).toMatchObject({ attempts: 1, cycleId: req.id });
  });

  it('answers what to fix when the job cannot run (no user mapping enabled)', async () => {
    const { spId, jobId } = await pausedJob();
    const job = await t.db.jobs.getJob(jobId);
    for (const rule of job.schema.synchronizationRules)
      for (const m of rule.objectMappings) m.enabled = false;
    await t.db.jobs.updateJob(jobId, { schema: job.schema });
    const user = await addUser(t.db, 'lynne');
    const req = await request(t.db, jobId, spId, user.id);
    const report = await t.worker.runOnDemandOnce();
    expect(report).toMatchObject({ state: 'Failed', error: { code: 'mapping.no_user_mapping' } });
    expect(await t.db.onDemand.getRequest(req.id)).toMatchObject({
      status: 'Failed',
      error: { code: 'mapping.no_user_mapping' },
    });
  });

  it('waits while a cycle of the job holds its lease, and runs once across two workers', async () => {
    const { spId, jobId } = await pausedJob();
    const user = await addUser(t.db, 'pradeep');
    await assign(t.db, spId, user.id);
    await t.sql.run('UPDATE provisioning_jobs SET lease_owner = ?, lease_expires_at = ? WHERE id = ?', [
      'cycle-worker',
      new Date(Date.now() + 60_000).toISOString(),
      jobId,
    ]);
    const req = await request(t.db, jobId, spId, user.id);
    expect(await t.worker.runOnDemandOnce()).toBeNull();
    expect((await t.db.onDemand.getRequest(req.id)).status).toBe('Pending');
    await t.db.jobs.releaseLease(jobId, 'cycle-worker');

    const other = new ProvisioningWorker({
      db: t.db,
      workerId: 'other-worker',
      pollMs: 20,
      leaseMs: 30_000,
      concurrency: 4,
      log: () => undefined,
    });
    const reports = await Promise.all([t.worker.runOnDemandOnce(), other.runOnDemandOnce()]);
    await other.stop();
    expect(reports.filter((r) => r !== null)).toHaveLength(1);
    expect((await t.app.users()).filter((u) => u.userName === 'pradeep@contoso.com')).toHaveLength(1);
    expect(await t.events(jobId)).toHaveLength(1);
  });

  it('does not run an expired request', async () => {
    const { spId, jobId } = await pausedJob();
    const user = await addUser(t.db, 'isaiah');
    await assign(t.db, spId, user.id);
    const req = await request(t.db, jobId, spId, user.id);
    await t.db.onDemand.expireRequest(req.id);
    expect(await t.worker.runOnDemandOnce()).toBeNull();
    expect(await t.app.users()).toEqual([]);
  });

  it('is picked up by the running worker loop within its poll', async () => {
    const { spId, jobId } = await pausedJob();
    const user = await addUser(t.db, 'joni');
    await assign(t.db, spId, user.id);
    const running = t.worker.run();
    const req = await request(t.db, jobId, spId, user.id);
    for (let i = 0; i < 200 && (await t.db.onDemand.getRequest(req.id)).status !== 'Succeeded'; i += 1)
      await new Promise((r) => setTimeout(r, 25));
    expect((await t.db.onDemand.getRequest(req.id)).status).toBe('Succeeded');
    await t.worker.stop();
    await running;
  });

  it('provisions a group with two of its members: the members, the group, then those members added to it', async () => {
    const { spId, jobId } = await pausedJob({}, true);
    const [ana, ben, cai] = await mapInOrder(['ana', 'ben', 'cai'], (n) => addUser(t.db, n));
    const team = await t.db.directory.insertGroup({ displayName: 'Team' });
    for (const u of [ana!, ben!, cai!]) await t.db.directory.addMember(team.id, u.id);
    await assign(t.db, spId, team.id, 'Group');
    const now = new Date();
    const req = await t.db.onDemand.insertRequest({
      id: randomUUID(),
      jobId,
      servicePrincipalId: spId,
      ruleId: 'ProvisioToScim',
      subjects: [{ objectId: team.id, objectTypeName: 'Group', members: [ana!.id, ben!.id] }],
      requestedBy: ADMIN,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + 30_000).toISOString(),
    });

    expect(await t.worker.runOnDemandOnce()).toMatchObject({ requestId: req.id, state: 'Succeeded' });
    const results = (await t.db.onDemand.getRequest(req.id)).results ?? [];
    expect(results.map((r) => [r.event?.sourceIdentity.identityType, r.event?.provisioningAction])).toEqual([
      ['User', 'create'],
      ['User', 'create'],
      ['Group', 'create'],
      ['Group', 'update'],
    ]);
    const group = (await t.app.groups()).find((g) => g.displayName === 'Team');
    const users = new Map((await t.app.users()).map((u) => [u.id, u.userName]));
    expect((group?.members ?? []).map((m) => users.get(m.value)).sort()).toEqual([
      'ana@contoso.com',
      'ben@contoso.com',
    ]);
    // The third member was neither provisioned nor added.
    expect(await t.account('cai@contoso.com')).toBeUndefined();
  });
});
