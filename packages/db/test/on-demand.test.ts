import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import type { ProvisioDb } from '../src/index';
import { tempDb, testDb } from './helpers';

let db: ProvisioDb;
let cleanup: () => Promise<void>;
let jobId: string;
let spId: string;
beforeEach(async () => {
  ({ db, cleanup } = await testDb());
  spId = (await db.applications.insertServicePrincipal({ displayName: 'App' })).id;
  jobId = (
    await db.jobs.insertJob({
      id: 'scim.1',
      servicePrincipalId: spId,
      templateId: 'scim',
      schema: { id: 'scim.1', version: '1', directories: [], synchronizationRules: [] },
      intervalSeconds: 2400,
    })
  ).id;
});
afterEach(() => cleanup());

const T0 = new Date('2026-01-01T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const insert = (id: string, createdMs = 0, ttlMs = 35_000) =>
  db.onDemand.insertRequest({
    id,
    jobId,
    servicePrincipalId: spId,
    ruleId: 'ProvisioToScim',
    subjects: [{ objectId: 'u1', objectTypeName: 'User' }],
    requestedBy: { id: 'a1', userName: 'admin' },
    createdAt: at(createdMs).toISOString(),
    expiresAt: at(createdMs + ttlMs).toISOString(),
  });

describe('on-demand requests', () => {
  it('are claimed oldest first, once, together with the job’s lease', async () => {
    await insert('r1', 0);
    await insert('r2', 10);
    const first = await db.onDemand.claimRequest('w1', at(100), 30_000);
    expect(first).toMatchObject({ id: 'r1', status: 'Running', workerId: 'w1' });
    expect((await db.jobs.getJob(jobId)).leaseOwner).toBe('w1');
    // The job is leased: the next request waits, for this worker and any other.
    expect(await db.onDemand.claimRequest('w2', at(100), 30_000)).toBeNull();
    expect(await db.jobs.claimDueJob('w2', at(100), 30_000)).toBeNull();
    expect(
      await db.onDemand.completeRequest(
        'r1',
        'w2',
        { status: 'Succeeded', results: [], error: null },
        at(200),
      ),
    ).toBe(false);
    expect(
      await db.onDemand.completeRequest(
        'r1',
        'w1',
        { status: 'Succeeded', results: [], error: null },
        at(200),
      ),
    ).toBe(true);
    await db.jobs.releaseLease(jobId, 'w1');
    expect(await db.onDemand.claimRequest('w2', at(300), 30_000)).toMatchObject({
      id: 'r2',
      workerId: 'w2',
    });
    expect(await db.onDemand.getRequest('r1')).toMatchObject({
      status: 'Succeeded',
      results: [],
      error: null,
    });
  });

  it('a request whose worker died (its lease expired) fails instead of staying Running', async () => {
    await insert('r1', 0);
    expect(await db.onDemand.claimRequest('w1', at(100), 30_000)).toMatchObject({
      id: 'r1',
      status: 'Running',
    });
    await insert('r2', 200, 60_000);
    // w1 still holds the lease: r1 keeps running, r2 waits.
    expect(await db.onDemand.claimRequest('w2', at(20_000), 30_000)).toBeNull();
    expect((await db.onDemand.getRequest('r1')).status).toBe('Running');
    // w1 is gone and its lease has expired: r1 fails, and r2 runs on w2.
    expect(await db.onDemand.claimRequest('w2', at(40_000), 30_000)).toMatchObject({
      id: 'r2',
      workerId: 'w2',
    });
    expect(await db.onDemand.getRequest('r1')).toMatchObject({
      status: 'Failed',
      error: { code: 'WorkerStopped' },
    });
  });

  it('expire: past their time or given up by the API, they are never claimed', async () => {
    await insert('r1', 0, 1_000);
    await insert('r2', 0);
    expect(await db.onDemand.expireRequest('r2')).toBe(true);
    expect(await db.onDemand.claimRequest('w1', at(2_000), 30_000)).toBeNull();
    expect((await db.onDemand.getRequest('r1')).status).toBe('Expired');
    expect(await db.onDemand.expireRequest('r2')).toBe(false);
  });

  it('list the times of a job’s recent requests, and go with their job', async () => {
    await insert('r1', 0);
    await insert('r2', 5_000);
    expect(await db.onDemand.listRequestTimesSince(jobId, at(1_000).toISOString())).toEqual([
      at(5_000).toISOString(),
    ]);
    await db.jobs.deleteJob(jobId);
    expect(await db.onDemand.findRequest('r1')).toBeNull();
  });

  // SQLite only: EXPLAIN QUERY PLAN is SQLite's.
  it('use their indexes for the claim and the rate limit', () => {
    const sqlite = tempDb();
    const plan = (sql: string) =>
      (sqlite.db.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[])
        .map((r) => r.detail)
        .join(' | ');
    onTestFinished(() => sqlite.cleanup());
    expect(
      plan("SELECT id FROM on_demand_requests WHERE status = 'Pending' ORDER BY created_at LIMIT 1"),
    ).toContain('on_demand_requests_pending');
    expect(
      plan(
        "SELECT created_at FROM on_demand_requests WHERE job_id = 'j' AND created_at > 'x' ORDER BY created_at",
      ),
    ).toContain('on_demand_requests_job_time');
  });
});
