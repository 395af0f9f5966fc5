// Quarantine against the real sample app: rejected credentials, an application that cannot be
// reached, and failures over the escrow thresholds put the job in quarantine at a reduced pace;
// a cycle that reaches the application again lifts it.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { addUser, assign, seedJob } from './harness';
import { cycleSuite } from './suite';

const t = cycleSuite();
/** Failures are escrowed at once: no retry within the cycle, so that each test takes a second. */
const FAST = { ExportRetryAttempts: '1', ExportRetryDelay: 'PT0.01S' };

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function quarantineAudits() {
  return (await t.db.events.listAuditEvents({}, { top: 100 })).items.filter(
    (a) => a.activityDisplayName === 'Quarantine',
  );
}

describe('quarantine', () => {
  it('a rejected Secret Token quarantines the job after its first cycle; the pace slows; a fixed token lifts it', async () => {
    const { spId, jobId } = await seedJob(t.db, t.app, { token: 'wrong-token', settings: FAST });
    await assign(t.db, spId, (await addUser(t.db, 'ana')).id);

    const first = await t.cycle(jobId);
    expect(first.state).toBe('Failed');
    let job = await t.db.jobs.getJob(jobId);
    expect(job.statusCode).toBe('Quarantine');
    expect(job.status.quarantine).toMatchObject({
      reason: 'EncounteredQuarantineException',
      seriesCount: 1,
      error: { code: 'Unauthorized', tenantActionable: true },
    });
    const firstEnded = Date.parse(job.status.lastExecution?.timeEnded ?? '');
    expect(Date.parse(job.nextRunAt ?? '') - firstEnded).toBe(2400 * 1000);
    expect(await quarantineAudits()).toEqual([
      expect.objectContaining({
        category: 'ProvisioningManagement',
        resultReason: expect.stringContaining('EncounteredQuarantineException'),
        initiatedBy: expect.objectContaining({ user: null }),
      }),
    ]);

    // Still rejected: the next attempt is twice as far.
    await t.cycle(jobId);
    job = await t.db.jobs.getJob(jobId);
    expect(job.status.quarantine?.seriesCount).toBe(2);
    expect(Date.parse(job.nextRunAt ?? '') - Date.parse(job.status.lastExecution?.timeEnded ?? '')).toBe(
      2 * 2400 * 1000,
    );

    // The token is fixed: the next cycle reaches the application and the quarantine ends.
    await t.db.jobs.setSecrets(jobId, { BaseAddress: t.app.scimBaseUrl, SecretToken: t.app.token });
    const fixed = await t.cycle(jobId);
    expect(fixed.state).toBe('Succeeded');
    job = await t.db.jobs.getJob(jobId);
    expect(job).toMatchObject({ statusCode: 'Active', status: { quarantine: null } });
    expect(await t.account('ana@contoso.com')).toBeDefined();
    expect(await quarantineAudits()).toHaveLength(2);
    expect((await quarantineAudits())[0]?.resultReason).toContain('left quarantine');
  });

  it('an application that cannot be reached quarantines the job, naming the connection failure', async () => {
    const port = await closedPort();
    const { spId, jobId } = await seedJob(t.db, t.app, {
      settings: FAST,
      secrets: { BaseAddress: `http://127.0.0.1:${port}/scim/v2` },
    });
    for (const name of ['ana', 'ben', 'cai']) await assign(t.db, spId, (await addUser(t.db, name)).id);

    const report = await t.cycle(jobId);
    expect(report.tally).toMatchObject({ failed: 3, escrowed: 3 });
    const job = await t.db.jobs.getJob(jobId);
    expect(job.statusCode).toBe('Quarantine');
    expect(job.status.quarantine).toMatchObject({ reason: 'EncounteredQuarantineException' });
    expect(job.status.quarantine?.error?.message).toMatch(/connect/i);

    // An incremental cycle with nothing to send keeps the quarantine: nothing shows the cause is gone.
    await t.cycle(jobId);
    expect(await t.db.jobs.getJob(jobId)).toMatchObject({
      statusCode: 'Quarantine',
      status: { quarantine: { reason: 'EncounteredQuarantineException' } },
    });
  });

  it('failures over the escrow proportion threshold quarantine the job (thresholds lowered for the test)', async () => {
    const { spId, jobId } = await seedJob(t.db, t.app, {
      settings: { ...FAST, QuarantineMinimumFailures: '3', QuarantineFailureProportion: '0.4' },
    });
    for (const name of ['ana', 'ben', 'cai', 'dee', 'eve'])
      await assign(t.db, spId, (await addUser(t.db, name)).id);
    await t.app.setFaults({ errorRate: 1, errorStatus: 503 });

    const report = await t.cycle(jobId);
    expect(report.tally).toMatchObject({ escrowed: 5 });
    const job = await t.db.jobs.getJob(jobId);
    expect(job.statusCode).toBe('Quarantine');
    expect(job.status.quarantine).toMatchObject({
      reason: 'EncounteredEscrowProportionThreshold',
      error: { message: expect.stringContaining('5 objects') },
    });
  });
});
