import type { ProvisioningHealth, SynchronizationJob } from '@provisio/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configuredJob, createAppWithJob, describeAccess, startTestApp, type TestContext } from './helpers';

const URL = '/api/v1.0/provisioningHealth';
let clock = new Date('2026-03-02T10:00:00.000Z');
let t: TestContext;

beforeAll(async () => {
  t = await startTestApp({ now: () => clock });
});
afterAll(async () => {
  await t.close();
});

async function health(cookie = t.reader): Promise<ProvisioningHealth> {
  const res = await t.app.inject({ url: URL, headers: { cookie } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as ProvisioningHealth;
}

async function jobStatus(spId: string): Promise<SynchronizationJob['status']> {
  const res = await t.app.inject({
    url: `/api/v1.0/servicePrincipals/${spId}/synchronization/jobs`,
    headers: { cookie: t.reader },
  });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { value: SynchronizationJob[] }).value[0]!.status;
}

const post = (url: string) => t.app.inject({ method: 'POST', url, headers: { cookie: t.admin } });

describe('access', () => {
  describeAccess(it, () => t, [{ method: 'GET', url: URL, readerAllowed: true }]);
});

describe('GET /api/v1.0/provisioningHealth', () => {
  it('lists no application before any has a provisioning job', async () => {
    expect(await health()).toEqual({ generatedDateTime: clock.toISOString(), needsAttention: 0, value: [] });
  });

  it('follows a job from Queued (at Start) to In progress (a worker leases it) to Idle with its next cycle', async () => {
    const { spId, jobId } = await configuredJob(t, 'Live App');
    const jobUrl = `/api/v1.0/servicePrincipals/${spId}/synchronization/jobs/${jobId}`;
    expect((await jobStatus(spId)).activity).toBe('Idle');

    const startedAt = clock.toISOString();
    expect((await post(`${jobUrl}/start`)).statusCode).toBe(204);
    expect(await jobStatus(spId)).toMatchObject({
      code: 'NotRun',
      activity: 'Queued',
      queuedDateTime: startedAt,
      nextCycleDateTime: startedAt,
      currentCycle: null,
    });

    // A worker takes the job and opens a cycle, as apps/worker does.
    clock = new Date(clock.getTime() + 800);
    expect((await t.db.jobs.claimDueJob('worker-1', clock, 60_000))?.id).toBe(jobId);
    expect((await jobStatus(spId)).activity).toBe('Queued');
    await t.db.jobs.mutateStatus(jobId, (s) => {
      s.currentCycle = { cycleId: 'cycle-1', cycleKind: 'Initial', timeBegan: clock.toISOString() };
      s.progress = [
        {
          completedUnits: 4,
          totalUnits: 10,
          units: 'Users',
          progressObservationDateTime: clock.toISOString(),
        },
      ];
    });
    expect(await jobStatus(spId)).toMatchObject({ activity: 'InProgress', queuedDateTime: null });
    const running = (await health()).value.find((a) => a.jobId === jobId);
    expect(running).toMatchObject({
      servicePrincipal: { id: spId, displayName: 'Live App' },
      activity: 'InProgress',
      progress: { completedUnits: 4, totalUnits: 10, units: 'Users' },
      issues: [],
    });

    // The cycle ends: the next one is due after the job's interval.
    const next = new Date(clock.getTime() + 40 * 60_000).toISOString();
    const job = await t.db.jobs.getJob(jobId);
    await t.db.jobs.updateJob(jobId, {
      statusCode: 'Active',
      runRequestedAt: null,
      nextRunAt: next,
      status: { ...job.status, currentCycle: null, progress: [] },
    });
    await t.db.jobs.releaseLease(jobId, 'worker-1');
    expect(await jobStatus(spId)).toMatchObject({
      activity: 'Idle',
      queuedDateTime: null,
      nextCycleDateTime: next,
    });

    // Stopped: no next cycle.
    expect((await post(`${jobUrl}/pause`)).statusCode).toBe(204);
    expect(await jobStatus(spId)).toMatchObject({ activity: 'Idle', nextCycleDateTime: null });
  });

  it('names the applications that need attention, with the reason and where it is fixed', async () => {
    const healthy = await createAppWithJob(t, 'Healthy App');
    const rejected = await configuredJob(t, 'Rejected App');
    const escrowed = await configuredJob(t, 'Escrowed App');
    const refused = { code: 'Unauthorized', message: 'The token was refused.', tenantActionable: true };
    const job = await t.db.jobs.getJob(rejected.jobId);
    await t.db.jobs.updateJob(rejected.jobId, {
      statusCode: 'Quarantine',
      status: {
        ...job.status,
        quarantine: {
          currentBegan: clock.toISOString(),
          nextAttempt: clock.toISOString(),
          reason: 'EncounteredQuarantineException',
          seriesBegan: clock.toISOString(),
          seriesCount: 1,
          error: refused,
        },
      },
    });
    for (const sourceId of ['u1', 'u2']) {
      await t.db.escrows.saveEscrow({
        jobId: escrowed.jobId,
        sourceId,
        objectType: 'User',
        action: 'create',
        errorCode: 'InternalServerError',
        reason: 'The application answered 500.',
        attempts: 1,
        firstFailedAt: clock.toISOString(),
        lastFailedAt: clock.toISOString(),
        nextAttemptAt: clock.toISOString(),
        cycleId: 'cycle-2',
      });
    }

    const all = await health();
    const byName = new Map(all.value.map((a) => [a.servicePrincipal.displayName, a]));
    expect([...byName.keys()]).toEqual(['Escrowed App', 'Healthy App', 'Live App', 'Rejected App']);
    expect(all.needsAttention).toBe(2);
    expect(byName.get('Healthy App')).toMatchObject({
      jobId: healthy.jobId,
      statusCode: 'NotConfigured',
      issues: [],
    });
    expect(byName.get('Rejected App')?.issues).toEqual([
      expect.objectContaining({
        kind: 'credentials',
        severity: 'error',
        fix: 'provisioning',
        reason: 'The application rejects the admin credentials (Unauthorized): The token was refused.',
      }),
      expect.objectContaining({ kind: 'quarantine', fix: 'provisioning' }),
    ]);
    expect(byName.get('Escrowed App')).toMatchObject({
      countEscrowed: 2,
      issues: [{ kind: 'escrow', severity: 'warning', fix: 'failures' }],
    });
  });
});
