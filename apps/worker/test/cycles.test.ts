import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProvisioDb } from '@provisio/db';
import type { ProvisioningObjectSummary } from '@provisio/engine';
import { ProvisioningWorker } from '../src/index';
import {
  addUser,
  assign,
  defaultUserMappings,
  ENTERPRISE,
  requestRun,
  seedJob,
  startSampleApp,
  tempDataDir,
  type SampleApp,
} from './harness';

let app: SampleApp;
let db: ProvisioDb;
let cleanup: () => Promise<void>;
let worker: ProvisioningWorker;
let logs: string[];

beforeAll(async () => {
  app = await startSampleApp();
});
afterAll(async () => {
  await app.stop();
});
beforeEach(async () => {
  await app.reset();
  ({ db, cleanup } = await tempDataDir());
  logs = [];
  worker = new ProvisioningWorker({
    db,
    workerId: 'test-worker',
    pollMs: 20,
    leaseMs: 30_000,
    concurrency: 8,
    log: (l) => logs.push(l),
  });
});
afterEach(() => cleanup());

async function cycle(jobId: string) {
  await requestRun(db, jobId);
  const report = await worker.runOnce();
  if (!report) throw new Error('no job was due');
  return report;
}

const eventsOf = async (jobId: string, cycleId?: string): Promise<ProvisioningObjectSummary[]> =>
  (await db.events.listProvisioningEvents({ jobId, ...(cycleId ? { cycleId } : {}) }, { top: 500 })).items;

const byUserName = async (userName: string) =>
  (await app.users()).find((u) => u.userName.toLowerCase() === userName.toLowerCase());

describe('initial cycle', () => {
  it('creates the assigned users, with Create/Success events and steps, and records the cycle', async () => {
    const adele = await addUser(db, 'adele');
    const alex = await addUser(db, 'alex', { department: 'Marketing' });
    const notAssigned = await addUser(db, 'nobody');
    const { spId, jobId } = await seedJob(db, app);
    await assign(db, spId, adele.id);
    await assign(db, spId, alex.id);

    const report = await cycle(jobId);
    expect(report).toMatchObject({
      kind: 'Initial',
      state: 'Succeeded',
      tally: { imported: 2, created: 2, failed: 0 },
    });

    const target = await byUserName('adele@contoso.com');
    expect(target).toMatchObject({
      userName: 'adele@contoso.com',
      displayName: 'Adele Test',
      externalId: 'adele',
      name: { givenName: 'adele', familyName: 'Test' },
      emails: [expect.objectContaining({ type: 'work', value: 'adele@contoso.com' })],
      [ENTERPRISE]: expect.objectContaining({ department: 'Sales', employeeNumber: '1000' }),
    });
    expect(String(target?.active)).toMatch(/^true$/i);
    expect(await byUserName('alex@contoso.com')).toBeDefined();
    expect(await byUserName('nobody@contoso.com')).toBeUndefined();

    const events = await eventsOf(jobId);
    expect(events).toHaveLength(2);
    for (const e of events) {
      expect(e).toMatchObject({
        provisioningAction: 'create',
        provisioningStatusInfo: { status: 'success', errorInformation: null },
        cycleId: report.cycleId,
      });
      expect(e.provisioningSteps.map((s) => [s.name, s.provisioningStepType, s.status])).toEqual([
        ['EntryImport', 'import', 'success'],
        ['EntrySynchronizationScoping', 'scoping', 'success'],
        ['EntryImport', 'matching', 'success'],
        ['EntryExportAdd', 'export', 'success'],
      ]);
      expect(e.targetIdentity.id).not.toBe('');
    }
    const adeleEvent = events.find((e) => e.sourceIdentity.id === adele.id);
    expect(adeleEvent?.provisioningSteps[3]?.description).toBe(
      "User 'adele@contoso.com' was created in Sample SCIM App",
    );
    expect(adeleEvent?.modifiedProperties).toContainEqual({
      displayName: 'userName',
      oldValue: null,
      newValue: 'adele@contoso.com',
    });
    expect(events.some((e) => e.sourceIdentity.id === notAssigned.id)).toBe(false);

    const job = await db.jobs.getJob(jobId);
    expect(job.watermark).toBe(report.upTo);
    expect(job.statusCode).toBe('Active');
    expect(job.runRequestedAt).toBeNull();
    expect(job.nextRunAt).not.toBeNull();
    expect(job.leaseOwner).toBeNull();
    expect(job.status).toMatchObject({
      currentCycle: null,
      lastExecution: {
        activityIdentifier: report.cycleId,
        state: 'Succeeded',
        countExported: 2,
        countImported: 2,
        cycleKind: 'Initial',
        error: null,
      },
      lastSuccessfulExecutionWithExports: { activityIdentifier: report.cycleId },
      synchronizedEntryCountByType: [{ key: 'User', value: 2 }],
    });
    expect(job.status.steadyStateLastAchievedTime).not.toMatch(/^0001/);
    expect(await db.cycles.getCycle(report.cycleId)).toMatchObject({
      state: 'Succeeded',
      kind: 'Initial',
      counts: { created: 2 },
    });
    expect(
      logs.some(
        (l) => l.includes(`cycle ${report.cycleId}`) && l.includes('kind=Initial') && l.includes('created=2'),
      ),
    ).toBe(true);
  });

  it('group assignment entitles direct members; membership changes follow', async () => {
    const [carol, dave, erin] = [
      await addUser(db, 'carol'),
      await addUser(db, 'dave'),
      await addUser(db, 'erin'),
    ];
    const group = await db.directory.insertGroup({ displayName: 'Engineering' });
    await db.directory.addMember(group.id, carol.id);
    await db.directory.addMember(group.id, dave.id);
    const { spId, jobId } = await seedJob(db, app);
    await assign(db, spId, group.id, 'Group');

    expect((await cycle(jobId)).tally).toMatchObject({ created: 2 });
    expect((await app.users()).map((u) => u.userName).sort()).toEqual([
      'carol@contoso.com',
      'dave@contoso.com',
    ]);

    await db.directory.addMember(group.id, erin.id);
    await db.directory.removeMember(group.id, dave.id);
    const report = await cycle(jobId);
    expect(report).toMatchObject({ kind: 'Incremental', tally: { created: 1, disabled: 1, imported: 2 } });
    expect(String((await byUserName('erin@contoso.com'))?.active)).toMatch(/^true$/i);
    expect(String((await byUserName('dave@contoso.com'))?.active)).toMatch(/^false$/i);
  });

  it('matches an existing account by userName (precedence 1) and updates it instead of creating a duplicate', async () => {
    const adele = await addUser(db, 'adele');
    const existing = await app.createUser({
      userName: 'ADELE@contoso.com',
      displayName: 'Old Name',
      active: true,
    });
    await app.clearRequests();
    const { spId, jobId } = await seedJob(db, app);
    await assign(db, spId, adele.id);

    const report = await cycle(jobId);
    expect(report.tally).toMatchObject({ created: 0, updated: 1 });
    const users = await app.users();
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({ id: existing.id, displayName: 'Adele Test' });
    expect((await app.requests()).some((r) => r.method === 'POST')).toBe(false);

    const [event] = await eventsOf(jobId);
    expect(event?.provisioningAction).toBe('update');
    expect(event?.provisioningSteps[2]).toMatchObject({
      provisioningStepType: 'matching',
      description: "Retrieved 'adele@contoso.com' from Sample SCIM App",
      details: expect.objectContaining({ MatchedBy: 'userName eq "adele@contoso.com"', id: existing.id }),
    });
    expect(event?.modifiedProperties).toContainEqual({
      displayName: 'displayName',
      oldValue: 'Old Name',
      newValue: 'Adele Test',
    });
    expect(await db.connector.findObject(jobId, adele.id)).toMatchObject({
      state: 'linked',
      targetId: existing.id,
    });
  });

  it('two accounts matching one user → DuplicateTargetEntries, nothing created', async () => {
    const adele = await addUser(db, 'adele');
    await app.createUser({ userName: 'first@contoso.com', externalId: 'adele' });
    await app.createUser({ userName: 'second@contoso.com', externalId: 'adele' });
    // Match on externalId (mailNickname) only; userName stays mapped but is not a matching attribute.
    const mappings = defaultUserMappings().map((m) => ({
      ...m,
      matchingPriority: m.targetAttributeName === 'externalId' ? 1 : 0,
    }));
    const { spId, jobId } = await seedJob(db, app, { mappings });
    await assign(db, spId, adele.id);

    const report = await cycle(jobId);
    expect(report).toMatchObject({ state: 'EntryLevelErrors', tally: { failed: 1, created: 0 } });
    expect(await app.users()).toHaveLength(2);
    const [event] = await eventsOf(jobId);
    expect(event).toMatchObject({
      provisioningAction: 'other',
      provisioningStatusInfo: {
        status: 'failure',
        errorInformation: { errorCode: 'DuplicateTargetEntries' },
      },
    });
    expect(event?.provisioningSteps.at(-1)?.details.SkipReason).toBe('DuplicateTargetEntries');
    expect((await db.jobs.getJob(jobId)).status.lastExecution?.state).toBe('EntryLevelErrors');
  });

  it('a pending creation left by a crash is matched, not created twice', async () => {
    const adele = await addUser(db, 'adele');
    const { spId, jobId } = await seedJob(db, app);
    await assign(db, spId, adele.id);
    // As if the worker died after the POST reached the application but before it recorded the answer.
    const landed = await app.createUser({
      userName: 'adele@contoso.com',
      displayName: 'Adele Test',
      externalId: 'adele',
    });
    await db.connector.saveObject({
      jobId,
      sourceId: adele.id,
      objectType: 'User',
      targetId: null,
      state: 'pendingCreate',
      lastExported: {},
      inScope: true,
    });

    await cycle(jobId);
    expect(await app.users()).toHaveLength(1);
    expect(await db.connector.findObject(jobId, adele.id)).toMatchObject({
      state: 'linked',
      targetId: landed.id,
    });
  });
  it('a pending creation found holding the values sent is logged as the creation it was, and nothing is sent', async () => {
    const adele = await addUser(db, 'adele');
    const { spId, jobId } = await seedJob(db, app);
    await assign(db, spId, adele.id);
    await cycle(jobId);
    const account = await byUserName('adele@contoso.com');
    // As if the worker had died after the POST landed and before it recorded the answer: the
    // record still says pendingCreate, the event is missing, and the cycle starts over.
    await db.connector.saveObject({
      jobId,
      sourceId: adele.id,
      objectType: 'User',
      targetId: null,
      state: 'pendingCreate',
      lastExported: {},
      inScope: true,
    });
    await db.jobs.updateJob(jobId, { watermark: null });
    await app.clearRequests();

    const report = await cycle(jobId);
    expect(report).toMatchObject({ kind: 'Initial', state: 'Succeeded', tally: { created: 1, skipped: 0 } });
    expect((await app.requests()).filter((r) => r.method !== 'GET')).toEqual([]);
    expect(await app.users()).toHaveLength(1);
    expect(await db.connector.findObject(jobId, adele.id)).toMatchObject({
      state: 'linked',
      targetId: account?.id,
    });
    const [event] = await eventsOf(jobId, report.cycleId);
    expect(event).toMatchObject({
      provisioningAction: 'create',
      provisioningStatusInfo: { status: 'success' },
      targetIdentity: { id: account?.id },
    });
    expect(event?.provisioningSteps.at(-1)).toMatchObject({
      name: 'EntryExportAdd',
      status: 'success',
      description: expect.stringContaining('by an earlier attempt that stopped before recording the answer'),
    });
  });
});

describe('incremental cycles', () => {
  it('sends nothing for untouched users; a department change is one PATCH with that attribute only', async () => {
    const adele = await addUser(db, 'adele');
    const alex = await addUser(db, 'alex');
    const { spId, jobId } = await seedJob(db, app);
    await assign(db, spId, adele.id);
    await assign(db, spId, alex.id);
    await cycle(jobId);
    const alexTarget = await byUserName('alex@contoso.com');
    await app.clearRequests();

    // Nothing changed: no request at all, no event.
    const idle = await cycle(jobId);
    expect(idle).toMatchObject({ kind: 'Incremental', tally: { imported: 0 } });
    expect(await app.requests()).toEqual([]);
    expect(await eventsOf(jobId, idle.cycleId)).toEqual([]);

    await db.directory.updateUser(adele.id, { department: 'Marketing' });
    const report = await cycle(jobId);
    expect(report).toMatchObject({
      kind: 'Incremental',
      state: 'Succeeded',
      tally: { imported: 1, updated: 1 },
    });

    const requests = await app.requests();
    expect(
      requests.some((r) => r.path.includes(alexTarget!.id) || JSON.stringify(r.body ?? '').includes('alex')),
    ).toBe(false);
    const patches = requests.filter((r) => r.method === 'PATCH');
    expect(patches).toHaveLength(1);
    const operations = (patches[0]?.body as { Operations: { op: string; path?: string; value?: unknown }[] })
      .Operations;
    expect(operations).toEqual([{ op: 'Replace', path: `${ENTERPRISE}:department`, value: 'Marketing' }]);
    expect((await byUserName('adele@contoso.com'))?.[ENTERPRISE]).toMatchObject({ department: 'Marketing' });

    const events = await eventsOf(jobId, report.cycleId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      provisioningAction: 'update',
      provisioningStatusInfo: { status: 'success' },
      modifiedProperties: [
        { displayName: `${ENTERPRISE}:department`, oldValue: 'Sales', newValue: 'Marketing' },
      ],
    });
    expect(events[0]?.provisioningSteps.at(-1)?.name).toBe('EntryExportUpdate');
  });

  it('unassigning disables the account (PATCH active false); reassigning enables it again', async () => {
    const adele = await addUser(db, 'adele');
    const { spId, jobId } = await seedJob(db, app);
    const assignmentId = await assign(db, spId, adele.id);
    await cycle(jobId);
    await app.clearRequests();

    await db.applications.deleteAssignment(assignmentId);
    const report = await cycle(jobId);
    expect(report.tally).toMatchObject({ disabled: 1 });
    expect(String((await byUserName('adele@contoso.com'))?.active)).toMatch(/^false$/i);
    const patch = (await app.requests()).find((r) => r.method === 'PATCH');
    expect(JSON.stringify(patch?.body)).toMatch(/"path":"active","value":"?False"?/i);
    const [event] = await eventsOf(jobId, report.cycleId);
    expect(event).toMatchObject({
      provisioningAction: 'disable',
      provisioningStatusInfo: { status: 'success' },
      modifiedProperties: [{ displayName: 'active', oldValue: 'True', newValue: 'False' }],
    });
    expect(event?.provisioningSteps.at(-1)).toMatchObject({
      name: 'EntryExportUpdateSoftDelete',
      description: "User 'adele@contoso.com' was disabled in Sample SCIM App",
    });
    // The scoping step says why the account was disabled.
    expect(event?.provisioningSteps[1]).toMatchObject({
      name: 'EntrySynchronizationScoping',
      description:
        "Determine if User in scope by evaluating against each scoping filter: the User 'adele@contoso.com' is out of scope: it is not assigned to the application, directly or through a group it is a direct member of",
      details: { Assigned: 'False', IsEffectivelyEntitledForProvisioning: 'False' },
    });
    expect(await db.connector.findObject(jobId, adele.id)).toMatchObject({
      state: 'disabled',
      inScope: false,
    });

    await assign(db, spId, adele.id);
    const back = await cycle(jobId);
    expect(back.tally).toMatchObject({ updated: 1 });
    expect(String((await byUserName('adele@contoso.com'))?.active)).toMatch(/^true$/i);
    expect((await eventsOf(jobId, back.cycleId))[0]?.modifiedProperties).toContainEqual({
      displayName: 'active',
      oldValue: 'False',
      newValue: 'True',
    });
  });

  it('a user in the directory but not assigned is not provisioned; the skip says why and what to do', async () => {
    const adele = await addUser(db, 'adele');
    const { spId, jobId } = await seedJob(db, app);
    await assign(db, spId, adele.id);
    await cycle(jobId);
    await app.clearRequests();

    const stranger = await addUser(db, 'stranger');
    const report = await cycle(jobId);
    expect(report.tally).toMatchObject({ imported: 1, skipped: 1, created: 0 });
    expect(await app.requests()).toEqual([]);
    expect(await byUserName('stranger@contoso.com')).toBeUndefined();
    const [event] = await eventsOf(jobId, report.cycleId);
    expect(event).toMatchObject({
      sourceIdentity: { id: stranger.id },
      provisioningAction: 'other',
      provisioningStatusInfo: {
        status: 'skipped',
        errorInformation: {
          errorCode: 'NotEffectivelyEntitled',
          recommendedAction: expect.stringContaining("change Scope to 'Sync all users and groups'"),
        },
      },
    });
    expect(event?.provisioningSteps.map((s) => s.name)).toEqual([
      'EntryImport',
      'EntrySynchronizationScoping',
      'EntrySynchronizationSkip',
    ]);
  });

  it('a hard-deleted user is deleted in the target', async () => {
    const adele = await addUser(db, 'adele');
    const { spId, jobId } = await seedJob(db, app);
    await assign(db, spId, adele.id);
    await cycle(jobId);
    await db.directory.hardDeleteUser(adele.id);
    const report = await cycle(jobId);
    expect(report.tally).toMatchObject({ deleted: 1 });
    expect(await app.users()).toEqual([]);
    expect((await eventsOf(jobId, report.cycleId))[0]).toMatchObject({
      provisioningAction: 'delete',
      provisioningStatusInfo: { status: 'success' },
    });
  });
});

describe('job-level failures', () => {
  it('a rejected Secret Token (401) stops the cycle with a job-level error and keeps the watermark', async () => {
    for (const name of ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'a9', 'a10', 'a11', 'a12'])
      await addUser(db, name);
    const { spId, jobId } = await seedJob(db, app, { token: 'wrong-token' });
    for (const id of await db.directory.listUserIds()) await assign(db, spId, id);

    const report = await cycle(jobId);
    expect(report).toMatchObject({ state: 'Failed', error: { code: 'Unauthorized' } });
    // The cycle stops: at most the objects already in flight got an answer.
    expect((await app.requests()).length).toBeLessThanOrEqual(8);
    const job = await db.jobs.getJob(jobId);
    expect(job.watermark).toBeNull();
    expect(job.status.lastExecution).toMatchObject({
      state: 'Failed',
      error: { code: 'Unauthorized', message: expect.stringContaining('Secret Token') },
    });
    expect(job.status.countSuccessiveCompleteFailures).toBe(1);
    expect(await db.cycles.getCycle(report.cycleId)).toMatchObject({
      state: 'Failed',
      error: { code: 'Unauthorized' },
    });
  });

  it('an invalid expression stops the job with a clear error before any request', async () => {
    const adele = await addUser(db, 'adele');
    const mappings = defaultUserMappings().map((m) =>
      m.targetAttributeName === 'title'
        ? {
            ...m,
            source: {
              type: 'Function' as const,
              name: null,
              expression: 'Joinn(",", [jobTitle])',
              parameters: [],
            },
          }
        : m,
    );
    const { spId, jobId } = await seedJob(db, app, { mappings });
    await assign(db, spId, adele.id);
    const report = await cycle(jobId);
    expect(report).toMatchObject({
      state: 'Failed',
      error: { code: 'mapping.invalid_expression', message: expect.stringContaining("'title'") },
    });
    expect(await app.requests()).toEqual([]);
  });
});
