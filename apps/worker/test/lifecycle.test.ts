// Cycles over time: watermarks, configuration changes, restart, run now, pause, and the status the
// portal reads (Graph's synchronizationStatus).
import { AsyncResource } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import { toSynchronizationJob, type ProvisioDb } from '@provisio/db';
import { ProvisioningWorker } from '../src/index';
import { addUser, assign, defaultUserMappings, mapInOrder, requestRun, scimSchema, seedJob } from './harness';
import { cycleSuite } from './suite';

const t = cycleSuite();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the job's running cycle reports `n` objects done. */
async function waitForProgress(jobId: string, n: number) {
  for (let i = 0; i < 400; i += 1) {
    const p = (await t.db.jobs.getJob(jobId)).status.progress[0];
    if (p && p.completedUnits >= n) return p;
    await sleep(10);
  }
  throw new Error('the cycle made no progress');
}

describe('watermarks', () => {
  it('an incremental cycle reads only the changes after the watermark', async () => {
    const [adele, alex, megan] = await mapInOrder(['adele', 'alex', 'megan'], (n) => addUser(t.db, n));
    const { spId, jobId } = await seedJob(t.db, t.app);
    for (const u of [adele, alex]) await assign(t.db, spId, u!.id);
    const initial = await t.cycle(jobId);
    expect(initial).toMatchObject({ kind: 'Initial', upTo: await t.db.directory.latestChangeSeq() });
    expect((await t.db.jobs.getJob(jobId)).watermark).toBe(initial.upTo);

    // Nothing changed: nothing is read, nothing is sent.
    await t.app.clearRequests();
    const idle = await t.cycle(jobId);
    expect(idle).toMatchObject({ kind: 'Incremental', state: 'Succeeded', requests: 0 });
    expect(idle.tally.imported).toBe(0);
    expect(await t.app.requests()).toEqual([]);

    // A change made while a cycle runs belongs to the next cycle.
    await t.db.directory.updateUser(adele!.id, { jobTitle: 'Director' });
    await t.app.setFaults({ latencyMs: 150 });
    await requestRun(t.db, jobId);
    const running = t.worker.runOnce();
    await sleep(60);
    await assign(t.db, spId, megan!.id);
    const during = await running;
    expect(during?.tally.imported).toBe(1);
    expect((await t.db.jobs.getJob(jobId)).watermark).toBe(during!.upTo);
    expect(during!.upTo).toBeLessThan(await t.db.directory.latestChangeSeq());
    await t.app.clearFaults();
    const next = await t.cycle(jobId);
    expect(next.tally).toMatchObject({ imported: 1, created: 1 });
    expect(await t.account('megan@contoso.com')).toBeDefined();
  });

  it('a change of the mappings or of the scope setting starts an initial cycle that keeps the links', async () => {
    const adele = await addUser(t.db, 'adele');
    const alex = await addUser(t.db, 'alex');
    const { spId, jobId } = await seedJob(t.db, t.app);
    await assign(t.db, spId, adele.id);
    await t.cycle(jobId);

    // The title now comes from the department: every user is evaluated again, not only changed ones.
    const mappings = defaultUserMappings().map((m) =>
      m.targetAttributeName === 'title'
        ? {
            ...m,
            source: {
              type: 'Attribute' as const,
              name: 'department',
              expression: '[department]',
              parameters: [],
            },
          }
        : m,
    );
    await t.db.jobs.updateJob(jobId, { schema: { ...scimSchema(jobId, mappings), version: '2' } });
    await t.app.clearRequests();
    const remapped = await t.cycle(jobId);
    expect(remapped).toMatchObject({ kind: 'Initial', state: 'Succeeded' });
    expect(remapped.tally).toMatchObject({ updated: 1, created: 0 });
    expect((await t.app.requests()).filter((r) => r.query.includes('filter='))).toEqual([]);
    expect((await t.account('adele@contoso.com'))?.title).toBe('Sales');
    expect((await t.cycle(jobId)).kind).toBe('Incremental');

    // Sync all users and groups: alex, never assigned, is now in scope.
    await t.db.jobs.setSecrets(jobId, { ...(await t.db.jobs.getSecrets(jobId)), SyncAll: 'True' });
    const all = await t.cycle(jobId);
    expect(all).toMatchObject({ kind: 'Initial' });
    expect(all.tally).toMatchObject({ created: 1 });
    expect(await t.account('alex@contoso.com')).toBeDefined();
    expect(alex.id).toBeDefined();
  });
});

describe('interrupted cycles', () => {
  it('an initial cycle started by a mapping change resumes where a stop left it', async () => {
    const { spId, jobId } = await seedJob(t.db, t.app, { settings: { MaxConcurrentExports: '1' } });
    for (let i = 0; i < 8; i += 1) await assign(t.db, spId, (await addUser(t.db, `user${i}`)).id);
    await t.cycle(jobId);
    const mappings = defaultUserMappings().filter((m) => m.targetAttributeName !== 'title');
    await t.db.jobs.updateJob(jobId, { schema: { ...scimSchema(jobId, mappings), version: '2' } });
    await t.app.setFaults({ latencyMs: 250 });
    await requestRun(t.db, jobId);
    const running = t.worker.runOnce();
    // Past the first checkpoint (saved every second), before the end (8 requests of 250 ms).
    await sleep(1100);
    await t.worker.stop();
    const stopped = await running;
    expect(stopped).toMatchObject({ kind: 'Initial', state: 'Interrupted' });
    const checkpoint = (await t.db.jobs.getJob(jobId)).cycleCheckpoint;
    expect(checkpoint?.completed).toBeGreaterThan(0);
    expect(checkpoint?.after).toBe((await t.db.jobs.getJob(jobId)).watermark);

    await t.app.clearFaults();
    const next = new ProvisioningWorker({
      db: t.db,
      workerId: 'next',
      pollMs: 20,
      leaseMs: 30_000,
      concurrency: 4,
      log: () => undefined,
    });
    const resumed = await next.runOnce();
    await next.stop();
    expect(resumed).toMatchObject({
      kind: 'Initial',
      state: 'Succeeded',
      resumed: true,
      cycleId: stopped?.cycleId,
    });
    expect(resumed?.tally.imported).toBe(8);
    expect((await t.db.jobs.getJob(jobId)).configHash).not.toBeNull();
  });
});

describe('deleted job', () => {
  it('a job deleted while its cycle runs ends that cycle; the worker carries on with other jobs', async () => {
    const { spId, jobId } = await seedJob(t.db, t.app, { settings: { MaxConcurrentExports: '1' } });
    for (let i = 0; i < 6; i += 1) await assign(t.db, spId, (await addUser(t.db, `user${i}`)).id);
    const other = await seedJob(t.db, t.app, { displayName: 'Other' });
    await t.db.jobs.updateJob(other.jobId, { nextRunAt: new Date(Date.now() + 3_600_000).toISOString() });
    await t.app.setFaults({ latencyMs: 100 });
    await requestRun(t.db, jobId);
    const running = t.worker.runOnce();
    await waitForProgress(jobId, 0);
    await t.db.jobs.deleteJob(jobId);
    const report = await running;
    expect(['Failed', 'Interrupted']).toContain(report?.state);
    await t.app.clearFaults();
    expect(await t.cycle(other.jobId)).toMatchObject({ state: 'Succeeded' });
  });
});

describe('restart', () => {
  it('with Watermark and Escrows: an initial cycle that keeps the links (GET by id, nothing created)', async () => {
    const adele = await addUser(t.db, 'adele');
    const { spId, jobId } = await seedJob(t.db, t.app);
    await assign(t.db, spId, adele.id);
    await t.cycle(jobId);
    const account = await t.account('adele@contoso.com');

    // What the API's restart does for resetScope "Watermark, Escrows".
    await t.db.jobs.updateJob(jobId, { watermark: null });
    await t.db.jobs.clearCycleCheckpoint(jobId);
    await t.db.escrows.clearEscrows(jobId);
    await t.app.clearRequests();
    const report = await t.cycle(jobId);
    expect(report).toMatchObject({ kind: 'Initial', state: 'Succeeded' });
    expect(report.tally).toMatchObject({ redundant: 1, created: 0 });
    expect((await t.app.requests()).map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /scim/v2/Users/${account?.id}`,
    ]);
  });

  it('with Full (the connector data store too): the accounts are matched again, not duplicated', async () => {
    const adele = await addUser(t.db, 'adele');
    const { spId, jobId } = await seedJob(t.db, t.app);
    await assign(t.db, spId, adele.id);
    await t.cycle(jobId);
    await t.db.connector.clear(jobId);
    await t.db.jobs.updateJob(jobId, { watermark: null });
    const report = await t.cycle(jobId);
    expect(report.tally).toMatchObject({ redundant: 1, created: 0 });
    expect(await t.app.users()).toHaveLength(1);
  });

  it('during a cycle: the cycle finishes without moving the watermark, and the next cycle is initial', async () => {
    const { spId, jobId } = await seedJob(t.db, t.app);
    for (let i = 0; i < 6; i += 1) await assign(t.db, spId, (await addUser(t.db, `user${i}`)).id);
    await t.cycle(jobId);
    for (const id of await t.db.directory.listUserIds())
      await t.db.directory.updateUser(id, { jobTitle: 'Director' });
    await t.app.setFaults({ latencyMs: 100 });
    await requestRun(t.db, jobId);
    const running = t.worker.runOnce();
    await waitForProgress(jobId, 0);
    await t.db.jobs.updateJob(jobId, { watermark: null });
    await t.db.jobs.clearCycleCheckpoint(jobId);
    const report = await running;
    expect(report).toMatchObject({ kind: 'Incremental', state: 'Succeeded' });
    expect((await t.db.jobs.getJob(jobId)).watermark).toBeNull();
    await t.app.clearFaults();
    expect((await t.cycle(jobId)).kind).toBe('Initial');
  });
});

describe('scheduling', () => {
  it('Run now starts a cycle at once though the next run is 40 minutes away', async () => {
    const adele = await addUser(t.db, 'adele');
    const { spId, jobId } = await seedJob(t.db, t.app);
    await assign(t.db, spId, adele.id);
    await t.cycle(jobId);
    const job = await t.db.jobs.getJob(jobId);
    expect(Date.parse(job.nextRunAt ?? '') - Date.now()).toBeGreaterThan(39 * 60_000);
    expect(await t.worker.runOnce()).toBeNull();

    await t.db.directory.updateUser(adele.id, { jobTitle: 'Director' });
    await requestRun(t.db, jobId);
    const report = await t.worker.runOnce();
    expect(report).toMatchObject({ kind: 'Incremental', state: 'Succeeded' });
    expect((await t.db.jobs.getJob(jobId)).runRequestedAt).toBeNull();
  });

  it('Pause lets the running cycle finish, and no cycle starts after it', async () => {
    const { spId, jobId } = await seedJob(t.db, t.app);
    for (let i = 0; i < 6; i += 1) await assign(t.db, spId, (await addUser(t.db, `user${i}`)).id);
    await t.app.setFaults({ latencyMs: 80 });
    await requestRun(t.db, jobId);
    const running = t.worker.runOnce();
    await waitForProgress(jobId, 0);
    // What the API's pause does.
    await t.db.jobs.updateJob(jobId, { scheduleState: 'Paused', statusCode: 'Paused', runRequestedAt: null });
    const report = await running;
    expect(report).toMatchObject({ state: 'Succeeded' });
    expect(report?.tally.created).toBe(6);
    expect(await t.db.jobs.getJob(jobId)).toMatchObject({ statusCode: 'Paused', scheduleState: 'Paused' });
    await requestRun(t.db, jobId);
    expect(await t.worker.runOnce()).toBeNull();
  });

  it('a pause that lands while the cycle is being recorded waits for it and is kept', async () => {
    const adele = await addUser(t.db, 'adele');
    const { spId, jobId } = await seedJob(t.db, t.app);
    await assign(t.db, spId, adele.id);
    await requestRun(t.db, jobId);
    // What the API's pause does, called from outside the worker's transactions.
    const pause = AsyncResource.bind(() =>
      t.db.jobs.updateJob(jobId, { scheduleState: 'Paused', statusCode: 'Paused', runRequestedAt: null }),
    );
    let paused: Promise<unknown> | null = null;
    // The finish step reads the job, then the job's next escrow retry: the pause comes between the
    // two, and the finish writes 300 ms later.
    const db: ProvisioDb = {
      ...t.db,
      transaction: (fn) =>
        t.db.transaction((tx) => {
          const escrows = Object.create(tx.escrows) as typeof tx.escrows;
          escrows.findNextAttemptAt = async (id) => {
            if (!paused) {
              paused = pause();
              await sleep(300);
            }
            return tx.escrows.findNextAttemptAt(id);
          };
          return fn({ ...tx, escrows });
        }),
    };
    const worker = new ProvisioningWorker({
      db,
      workerId: 'finishing-worker',
      pollMs: 20,
      leaseMs: 30_000,
      concurrency: 4,
      log: () => undefined,
    });
    expect(await worker.runOnce()).toMatchObject({ state: 'Succeeded' });
    await worker.stop();
    expect(paused).not.toBeNull();
    await paused;
    expect(await t.db.jobs.getJob(jobId)).toMatchObject({
      statusCode: 'Paused',
      scheduleState: 'Paused',
      runRequestedAt: null,
    });
  });
});

describe('status', () => {
  it('the progress counts the objects of the phase running now, in its own units', async () => {
    const { spId, jobId } = await seedJob(t.db, t.app, {
      groups: true,
      settings: { MaxConcurrentExports: '1' },
    });
    const users = await mapInOrder(['ana', 'ben', 'cai', 'dee'], (n) => addUser(t.db, n));
    for (const [name, members] of [
      ['Sales', users.slice(0, 2)],
      ['Support', users.slice(2)],
    ] as const) {
      const group = await t.db.directory.insertGroup({ displayName: name });
      for (const u of members) await t.db.directory.addMember(group.id, u.id);
      await assign(t.db, spId, group.id, 'Group');
    }
    await t.app.setFaults({ latencyMs: 100 });
    await requestRun(t.db, jobId);
    const running = t.worker.runOnce();
    const seen = new Set<string>();
    while (!seen.has('Groups 2')) {
      const p = (await t.db.jobs.getJob(jobId)).status.progress[0];
      if (p) seen.add(`${p.units} ${p.totalUnits}`);
      if ((await t.db.jobs.getJob(jobId)).status.currentCycle == null && seen.size > 0) break;
      await sleep(5);
    }
    await running;
    // Four users, then two groups (not six objects counted as groups).
    expect([...seen]).toContain('Users 4');
    expect([...seen]).toContain('Groups 2');
    expect([...seen].every((s) => s === 'Users 4' || s === 'Groups 2')).toBe(true);
  });

  it("follows Graph's synchronizationStatus: progress while running, then counts, steady state, entry counts", async () => {
    const { spId, jobId } = await seedJob(t.db, t.app, { settings: { MaxConcurrentExports: '1' } });
    for (let i = 0; i < 6; i += 1) await assign(t.db, spId, (await addUser(t.db, `user${i}`)).id);
    await t.app.setFaults({ latencyMs: 150 });
    await requestRun(t.db, jobId);
    const running = t.worker.runOnce();
    // The progress is saved every second.
    await sleep(1200);
    const during = toSynchronizationJob(await t.db.jobs.getJob(jobId)).status;
    expect(during.currentCycle).toMatchObject({ cycleKind: 'Initial' });
    expect(during.progress).toEqual([
      expect.objectContaining({ units: 'Users', totalUnits: 6, completedUnits: expect.any(Number) }),
    ]);
    const report = await running;

    const status = toSynchronizationJob(await t.db.jobs.getJob(jobId)).status;
    expect(status).toMatchObject({
      code: 'Active',
      countSuccessiveCompleteFailures: 0,
      currentCycle: null,
      progress: [],
      lastExecution: {
        activityIdentifier: report?.cycleId,
        state: 'Succeeded',
        countImported: 6,
        countEntitled: 6,
        countEntitledForProvisioning: 6,
        countExported: 6,
        countExports: 6,
        countEscrowed: 0,
        cycleKind: 'Initial',
        error: null,
      },
      synchronizedEntryCountByType: [{ key: 'User', value: 6 }],
    });
    expect(status.lastSuccessfulExecution).toEqual(status.lastExecution);
    expect(status.lastSuccessfulExecutionWithExports).toEqual(status.lastExecution);
    expect(status.steadyStateFirstAchievedTime).toBe(status.lastExecution?.timeEnded);
    expect(await t.db.cycles.listCycles(jobId, 5)).toEqual([
      expect.objectContaining({ id: report?.cycleId, state: 'Succeeded', workerId: 'test-worker' }),
    ]);

    // Incremental cycles keep the entry count by what they change: one more, two fewer.
    await t.app.clearFaults();
    await assign(t.db, spId, (await addUser(t.db, 'late')).id);
    await t.cycle(jobId);
    expect((await t.db.jobs.getJob(jobId)).status.synchronizedEntryCountByType).toEqual([
      { key: 'User', value: 7 },
    ]);
    const [first, second] = await t.db.directory.listUserIds();
    await t.db.directory.hardDeleteUser(first!);
    await t.db.directory.hardDeleteUser(second!);
    await t.cycle(jobId);
    expect((await t.db.jobs.getJob(jobId)).status.synchronizedEntryCountByType).toEqual([
      { key: 'User', value: 5 },
    ]);
    expect(await t.db.connector.countByType(jobId)).toEqual([{ key: 'User', value: 5 }]);
  });
});
