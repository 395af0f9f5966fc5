// Target failures: escrow and retry with backoff, a linked account gone (404), throttling (429 and
// Retry-After), rate limits. Job settings shorten the schedules so the tests run in seconds.
import { describe, expect, it } from 'vitest';
import { addUser, assign, seedJob } from './harness';
import { cycleSuite } from './suite';

const t = cycleSuite({ concurrency: 8 });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('escrows', () => {
  it('a transient failure is escrowed, retried on schedule, and cleared by the success', async () => {
    const adele = await addUser(t.db, 'adele');
    const alex = await addUser(t.db, 'alex');
    const { spId, jobId } = await seedJob(t.db, t.app, {
      settings: {
        ExportRetryAttempts: '2',
        ExportRetryDelay: 'PT0.02S',
        EscrowRetrySchedule: 'PT1.5S, PT3S',
      },
    });
    await assign(t.db, spId, adele.id);
    await assign(t.db, spId, alex.id);
    await t.app.setFaults({ errorRate: 1, errorStatus: 503 });

    const failed = await t.cycle(jobId);
    expect(failed).toMatchObject({ kind: 'Initial', state: 'EntryLevelErrors' });
    expect(failed.tally).toMatchObject({ imported: 2, failed: 2, escrowed: 2, created: 0 });
    // Escrowed objects are settled: the watermark moves on, and the escrows wait for their retry.
    const job = await t.db.jobs.getJob(jobId);
    expect(job.watermark).toBe(failed.upTo);
    const escrows = await t.db.escrows.listEscrows(jobId);
    expect(escrows).toHaveLength(2);
    const escrow = escrows.find((e) => e.sourceId === adele.id);
    expect(escrow).toMatchObject({
      attempts: 1,
      errorCode: 'WebExceptionProtocolError',
      cycleId: failed.cycleId,
    });
    expect(Date.parse(escrow!.nextAttemptAt) - Date.parse(escrow!.firstFailedAt)).toBe(1500);
    // The next run is due when the first escrow is, not 40 minutes later.
    expect(Date.parse(job.nextRunAt ?? '')).toBeLessThanOrEqual(Date.parse(escrow!.nextAttemptAt));
    const [event] = await t.events(jobId, { sourceId: adele.id });
    expect(event?.provisioningStatusInfo).toMatchObject({
      status: 'failure',
      errorInformation: {
        errorCode: 'WebExceptionProtocolError',
        additionalDetails: expect.stringContaining(
          `retried in the first cycle after ${escrow!.nextAttemptAt}`,
        ),
      },
    });
    // The lookups failed: two attempts each, then the objects were escrowed; nothing was created.
    expect(failed.requests).toBe(4);
    expect(escrow?.action).toBe('other');

    // Before its time an escrow is not retried; a failure again moves it to the next step.
    const early = await t.cycle(jobId);
    expect(early.tally.imported).toBe(0);
    await sleep(1600);
    const again = await t.cycle(jobId);
    expect(again.tally).toMatchObject({ imported: 2, escrowed: 2 });
    expect(await t.db.escrows.findEscrow(jobId, adele.id)).toMatchObject({
      attempts: 2,
      firstFailedAt: escrow!.firstFailedAt,
    });
    expect(
      Date.parse((await t.db.escrows.findEscrow(jobId, adele.id))!.nextAttemptAt) -
        Date.parse(escrow!.firstFailedAt),
    ).toBe(3000);

    await t.app.clearFaults();
    await sleep(
      Date.parse((await t.db.escrows.findEscrow(jobId, adele.id))!.nextAttemptAt) - Date.now() + 100,
    );
    const retried = await t.cycle(jobId);
    expect(retried).toMatchObject({ kind: 'Incremental', state: 'Succeeded' });
    expect(retried.tally).toMatchObject({ imported: 2, created: 2, failed: 0 });
    expect(await t.db.escrows.countEscrows(jobId)).toBe(0);
    expect((await t.app.users()).map((u) => u.userName).sort()).toEqual([
      'adele@contoso.com',
      'alex@contoso.com',
    ]);
    expect((await t.events(jobId, { sourceId: adele.id }))[0]).toMatchObject({
      provisioningAction: 'create',
      provisioningStatusInfo: { status: 'success' },
    });
  });

  it('clearing escrows (restart with resetScope Escrows) stops their retries', async () => {
    const adele = await addUser(t.db, 'adele');
    const { spId, jobId } = await seedJob(t.db, t.app, {
      settings: { ExportRetryAttempts: '1', EscrowRetrySchedule: 'PT0.1S' },
    });
    await assign(t.db, spId, adele.id);
    await t.app.setFaults({ errorRate: 1, errorStatus: 503 });
    await t.cycle(jobId);
    expect(await t.db.escrows.countEscrows(jobId)).toBe(1);
    expect(await t.db.escrows.clearEscrows(jobId)).toBe(1);
    await t.app.clearFaults();
    await sleep(150);
    expect((await t.cycle(jobId)).tally.imported).toBe(0);
  });
});

describe('a linked account that is gone', () => {
  it('a 404 on the linked account matches the user again and follows the account found', async () => {
    const adele = await addUser(t.db, 'adele');
    const { spId, jobId } = await seedJob(t.db, t.app);
    await assign(t.db, spId, adele.id);
    await t.cycle(jobId);
    const first = await t.account('adele@contoso.com');
    // Someone deletes the account in the application and creates another one for her.
    await fetch(`${t.app.scimBaseUrl}/Users/${first?.id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${t.app.token}` },
    });
    const second = await t.app.createUser({ userName: 'adele@contoso.com', title: 'Old title' });
    await t.db.directory.updateUser(adele.id, { jobTitle: 'Director' });
    await t.app.clearRequests();

    const report = await t.cycle(jobId);
    expect(report.tally).toMatchObject({ updated: 1, failed: 0, created: 0 });
    expect((await t.app.requests()).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      `GET /scim/v2/Users/${first?.id} 404`,
      'GET /scim/v2/Users 200',
      `PATCH /scim/v2/Users/${second.id} 200`,
    ]);
    expect(await t.db.connector.findObject(jobId, adele.id)).toMatchObject({
      state: 'linked',
      targetId: second.id,
    });
    expect((await t.app.users()).map((u) => u.id)).toEqual([second.id]);
  });

  it('and creates it again when nothing matches', async () => {
    const adele = await addUser(t.db, 'adele');
    const { spId, jobId } = await seedJob(t.db, t.app);
    await assign(t.db, spId, adele.id);
    await t.cycle(jobId);
    await t.app.reset();
    await t.db.directory.updateUser(adele.id, { jobTitle: 'Director' });
    const report = await t.cycle(jobId);
    expect(report.tally).toMatchObject({ created: 1, failed: 0 });
    expect((await t.account('adele@contoso.com'))?.title).toBe('Director');
  });
});

describe('throttling', () => {
  it('429 answers with Retry-After are waited out: no object fails, and no retry comes early', async () => {
    const { spId, jobId } = await seedJob(t.db, t.app);
    for (let i = 0; i < 10; i += 1) await assign(t.db, spId, (await addUser(t.db, `user${i}`)).id);
    // Every third request, not a random share: the cycle's first requests are its ten lookups, so
    // some of them are throttled on every run.
    await t.app.setFaults({ throttleEvery: 3, retryAfterSeconds: 1 });

    const report = await t.cycle(jobId);
    expect(report).toMatchObject({ state: 'Succeeded' });
    expect(report.tally).toMatchObject({ created: 10, failed: 0, escrowed: 0 });
    expect(report.throttled).toBeGreaterThan(0);
    await t.app.clearFaults();
    expect(await t.app.users()).toHaveLength(10);

    // Refused requests are logged without their body, so retries are paired by query: the lookups.
    const requests = (await t.app.requests()).filter((r) => r.method === 'GET');
    const throttledLookups = requests.filter((r) => r.status === 429);
    expect(throttledLookups.length).toBeGreaterThan(0);
    for (const r of throttledLookups) {
      const retry = requests.find((x) => x.query === r.query && Date.parse(x.time) > Date.parse(r.time));
      expect(retry).toBeDefined();
      expect(Date.parse(retry!.time) - Date.parse(r.time)).toBeGreaterThanOrEqual(950);
    }
  });

  it('a rate-limited application is driven at its limit, not into failures', async () => {
    const { spId, jobId } = await seedJob(t.db, t.app, { settings: { MaxConcurrentExports: '8' } });
    for (let i = 0; i < 60; i += 1) await assign(t.db, spId, (await addUser(t.db, `user${i}`)).id);
    await t.app.setFaults({ rateLimitPerSecond: 40 });

    const report = await t.cycle(jobId);
    expect(report.tally).toMatchObject({ created: 60, failed: 0, escrowed: 0 });
    const served = report.requests - report.throttled;
    // One listing page and 60 POSTs at 40/s: a second and a half at the limit. Most 429s come
    // while the limit is learned, at the start.
    expect(served).toBe(61);
    expect(report.throttled).toBeLessThan(served / 2);
    // The pace is read off the target's own log, over the bulk of the accounts (the 10th to the
    // 50th created), so that neither the cycle's start-up on a busy machine nor a late 429's
    // Retry-After second counts: in between, the worker sends at the limit.
    const created = (await t.app.requests())
      .filter((r) => r.method === 'POST' && r.status === 201)
      .map((r) => Date.parse(r.time))
      .sort((a, b) => a - b);
    expect(created).toHaveLength(60);
    const perSecond = 40 / ((created[49]! - created[9]!) / 1000);
    expect(perSecond).toBeGreaterThan(0.6 * 40);
  });
});
