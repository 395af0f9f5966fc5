import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CycleCheckpoint, EscrowRecord, ProvisioDb, SqliteProvisioDb } from '../src/index';
import { tempDb, testDb } from './helpers';

let db: ProvisioDb;
let cleanup: () => Promise<void>;
let jobId: string;
/** Each test of the describe calling it gets a fresh database of the run's dialect, with one job. */
const freshJobEach = () => {
  beforeEach(async () => {
    ({ db, cleanup } = await testDb());
    const sp = await db.applications.insertServicePrincipal({ displayName: 'App' });
    jobId = (
      await db.jobs.insertJob({
        id: 'scim.1',
        servicePrincipalId: sp.id,
        templateId: 'scim',
        schema: { id: 'scim.1', version: '1', directories: [], synchronizationRules: [] },
        intervalSeconds: 2400,
      })
    ).id;
  });
  afterEach(() => cleanup());
};

const escrow = (sourceId: string, nextAttemptAt: string, over: Partial<EscrowRecord> = {}): EscrowRecord => ({
  jobId,
  sourceId,
  objectType: 'User',
  action: 'create',
  errorCode: 'Timeout',
  reason: 'The application did not answer.',
  attempts: 1,
  firstFailedAt: '2026-01-01T00:00:00.000Z',
  lastFailedAt: '2026-01-01T00:00:00.000Z',
  nextAttemptAt,
  cycleId: 'c1',
  ...over,
});

describe('escrows', () => {
  freshJobEach();
  it('keeps one escrow per object, lists the due ones and the next due time, and clears them', async () => {
    await db.escrows.saveEscrow(escrow('u1', '2026-01-01T06:00:00.000Z'));
    await db.escrows.saveEscrow(escrow('u2', '2026-01-01T12:00:00.000Z'));
    await db.escrows.saveEscrow(escrow('u1', '2026-01-01T12:00:00.000Z', { attempts: 2, cycleId: 'c2' }));
    expect(await db.escrows.countEscrows(jobId)).toBe(2);
    expect(await db.escrows.findEscrow(jobId, 'u1')).toMatchObject({ attempts: 2, cycleId: 'c2' });
    expect(await db.escrows.listDueSourceIds(jobId, '2026-01-01T11:59:59.000Z')).toEqual([]);
    expect((await db.escrows.listDueSourceIds(jobId, '2026-01-01T12:00:00.000Z')).sort()).toEqual([
      'u1',
      'u2',
    ]);
    expect(await db.escrows.findNextAttemptAt(jobId)).toBe('2026-01-01T12:00:00.000Z');
    expect([...(await db.escrows.listEscrowsBySourceIds(jobId, ['u2', 'u9'])).keys()]).toEqual(['u2']);
    await db.escrows.deleteEscrow(jobId, 'u2');
    expect(await db.escrows.listSourceIds(jobId)).toEqual(['u1']);
    expect(await db.escrows.clearEscrows(jobId)).toBe(1);
    expect(await db.escrows.findNextAttemptAt(jobId)).toBeNull();
  });

  it('go with their job', async () => {
    await db.escrows.saveEscrow(escrow('u1', '2026-01-01T06:00:00.000Z'));
    await db.jobs.deleteJob(jobId);
    expect(await db.escrows.countEscrows(jobId)).toBe(0);
  });
});

describe('cycle checkpoints', () => {
  freshJobEach();
  const checkpoint = (cycleId: string): CycleCheckpoint => ({
    cycleId,
    kind: 'Initial',
    timeBegan: '2026-01-01T00:00:00.000Z',
    after: null,
    upTo: 10,
    configHash: 'h',
    settledThrough: 'u5',
    completed: 5,
    total: 10,
    counts: { imported: 5 },
  });
  const progress = [
    {
      completedUnits: 5,
      totalUnits: 10,
      units: 'Users',
      progressObservationDateTime: '2026-01-01T00:00:01.000Z',
    },
  ];

  it('are saved only by the lease owner, only for their own cycle, with the progress', async () => {
    const now = new Date();
    await db.jobs.updateJob(jobId, {
      scheduleState: 'Active',
      runRequestedAt: now.toISOString(),
      cycleCheckpoint: checkpoint('c1'),
    });
    expect((await db.jobs.claimDueJob('w1', now, 10_000))?.cycleCheckpoint?.cycleId).toBe('c1');
    expect(
      await db.jobs.saveCycleCheckpoint(jobId, 'w2', { ...checkpoint('c1'), completed: 7 }, progress),
    ).toBe(false);
    expect(
      await db.jobs.saveCycleCheckpoint(jobId, 'w1', { ...checkpoint('c1'), completed: 7 }, progress),
    ).toBe(true);
    expect((await db.jobs.getJob(jobId)).cycleCheckpoint?.completed).toBe(7);
    expect((await db.jobs.getJob(jobId)).status.progress).toEqual(progress);
    // A restart discards the checkpoint: the running cycle can no longer save one.
    await db.jobs.clearCycleCheckpoint(jobId);
    expect(await db.jobs.saveCycleCheckpoint(jobId, 'w1', checkpoint('c1'), progress)).toBe(false);
    expect((await db.jobs.getJob(jobId)).cycleCheckpoint).toBeNull();
  });

  it('make a job claimable to resume its cycle, even paused, once the lease is free', async () => {
    const now = new Date();
    await db.jobs.updateJob(jobId, {
      scheduleState: 'Paused',
      nextRunAt: new Date(now.getTime() + 3_600_000).toISOString(),
      cycleCheckpoint: checkpoint('c1'),
    });
    expect((await db.jobs.claimDueJob('w1', now, 1000))?.id).toBe(jobId);
    expect(await db.jobs.claimDueJob('w2', now, 1000)).toBeNull();
    expect((await db.jobs.claimDueJob('w2', new Date(now.getTime() + 2000), 1000))?.leaseOwner).toBe('w2');
    await db.jobs.releaseLease(jobId, 'w2');
    await db.jobs.updateJob(jobId, { cycleCheckpoint: null });
    expect(await db.jobs.claimDueJob('w3', new Date(now.getTime() + 4000), 1000)).toBeNull();
  });

  it('the configuration fingerprint and the cycle worker are kept', async () => {
    await db.jobs.updateJob(jobId, { configHash: 'abc', watermark: 4 });
    expect(await db.jobs.getJob(jobId)).toMatchObject({ configHash: 'abc', watermark: 4 });
    await db.cycles.insertCycle({ id: 'c1', jobId, kind: 'Initial', workerId: 'w1' });
    await db.cycles.setCycleWorker('c1', 'w2');
    await db.cycles.insertCycle({ id: 'c0', jobId, kind: 'Initial' });
    expect(await db.cycles.failRunningCycles(jobId, { code: 'WorkerInterrupted', message: 'x' }, 'c1')).toBe(
      1,
    );
    expect(await db.cycles.getCycle('c1')).toMatchObject({ state: 'Running', workerId: 'w2' });
    expect(await db.cycles.getCycle('c0')).toMatchObject({
      state: 'Failed',
      error: { code: 'WorkerInterrupted' },
    });
  });
});

// SQLite only: EXPLAIN QUERY PLAN is SQLite's.
describe('query plans of cycles use indexes', () => {
  let sqlite: SqliteProvisioDb;
  let cleanupSqlite: () => Promise<void>;
  beforeAll(() => {
    ({ db: sqlite, cleanup: cleanupSqlite } = tempDb());
  });
  afterAll(() => cleanupSqlite());
  const plan = (sql: string, ...params: unknown[]) =>
    (sqlite.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
      .map((r) => r.detail)
      .join(' | ');

  it('due escrows of a job', () => {
    expect(
      plan(
        "SELECT source_id FROM escrows WHERE job_id = 'j' AND next_attempt_at <= 'x' ORDER BY next_attempt_at",
      ),
    ).toContain('escrows_due');
  });

  it("one user's entitlement starts from its memberships, whatever the application's assignment count", () => {
    const detail = plan(
      `SELECT a.app_role_id FROM group_members m
         CROSS JOIN app_role_assignments a ON a.service_principal_id = 's' AND a.principal_id = m.group_id
         WHERE m.user_id = 'u' AND a.principal_type = 'Group'`,
    );
    expect(detail).toMatch(/SEARCH m USING (COVERING )?INDEX group_members_user/);
    expect(detail).toMatch(/SEARCH a USING (COVERING )?INDEX/);
  });
});

describe('entitlements as cycles read them', () => {
  freshJobEach();
  it('entitlements of a chunk of users, direct assignment first', async () => {
    const sp = await db.applications.insertServicePrincipal({ displayName: 'Other' });
    const users = [];
    for (const n of [1, 2, 3])
      users.push(
        await db.directory.insertUser({ userPrincipalName: `e${n}@contoso.com`, displayName: `E${n}` }),
      );
    const [a, b, c] = users;
    const g = await db.directory.insertGroup({ displayName: 'G' });
    await db.directory.addMember(g.id, a!.id);
    await db.directory.addMember(g.id, b!.id);
    const role = '00000000-0000-0000-0000-000000000000';
    await db.applications.insertAssignment({
      servicePrincipalId: sp.id,
      principalId: g.id,
      principalType: 'Group',
      appRoleId: role,
    });
    await db.applications.insertAssignment({
      servicePrincipalId: sp.id,
      principalId: a!.id,
      principalType: 'User',
      appRoleId: role,
    });
    const got = await db.applications.listEntitlementsOf(sp.id, [a!.id, b!.id, c!.id]);
    expect(got.get(a!.id)?.via).toBe('User');
    expect(got.get(b!.id)?.via).toBe('Group');
    expect(got.has(c!.id)).toBe(false);
    expect((await db.applications.listEntitledUserIdList(sp.id)).sort()).toEqual([a!.id, b!.id].sort());
  });
});
