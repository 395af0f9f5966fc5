import type { ProvisioningLogSummary, ProvisioningResult } from '@provisio/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../src/config';
import { createAppWithJob, describeAccess, errorOf, NO_ID, startTestApp, type TestContext } from './helpers';
import { event, OTHER_SP, SP } from './log-events';

const NOW = new Date('2026-11-01T10:30:00.000Z');
const URL = '/api/v1.0/auditLogs/provisioning/summary';
let t: TestContext;
let app: { spId: string; jobId: string };

/** Seeded events: [minutes before NOW, status, application]. */
const SEEDED: [number, ProvisioningResult, string][] = [
  [5, 'success', SP], // 10:25, the current hour
  [10, 'success', SP],
  [20, 'skipped', SP],
  [25, 'failure', OTHER_SP],
  [40, 'warning', SP], // 09:50
  [60 * 5, 'success', OTHER_SP], // 05:30
  [60 * 30, 'failure', SP], // 2026-10-31T04:30, outside 24 hours, inside 7 days
  [60 * 24 * 10, 'skipped', SP], // 2026-10-22, inside 30 days only
  [60 * 24 * 40, 'success', SP], // older than every range
];

beforeAll(async () => {
  t = await startTestApp({ now: () => NOW, logRetention: { provisioningDays: 45, auditDays: 7 } });
  await t.db.events.insertProvisioningEvents(
    SEEDED.map(([minutes, status, sp], i) => ({
      ...event(i, { status, sp }),
      activityDateTime: new Date(NOW.getTime() - minutes * 60_000).toISOString(),
    })),
  );
  app = await createAppWithJob(t, 'Charts App');
  await t.db.cycles.insertCycle({
    id: 'cycle-1',
    jobId: app.jobId,
    kind: 'Initial',
    beganAt: '2026-11-01T09:00:00.000Z',
  });
  await t.sql.run(
    "UPDATE cycles SET state = 'Succeeded', ended_at = '2026-11-01T09:02:30.000Z' WHERE id = 'cycle-1'",
  );
  await t.db.cycles.insertCycle({
    id: 'cycle-2',
    jobId: app.jobId,
    kind: 'Incremental',
    beganAt: '2026-11-01T10:00:00.000Z',
  });
});
afterAll(async () => {
  await t.close();
});

async function summary(query: string, cookie = t.reader): Promise<ProvisioningLogSummary> {
  const res = await t.app.inject({ url: `${URL}${query}`, headers: { cookie } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as ProvisioningLogSummary;
}

describe('access', () => {
  describeAccess(it, () => t, [
    { method: 'GET', url: URL, readerAllowed: true },
    { method: 'GET', url: `${URL}?range=30d&servicePrincipalId=${SP}`, readerAllowed: true },
  ]);

  it('answers every role', async () => {
    for (const cookie of [t.admin, t.appAdmin, t.reader])
      expect((await summary('', cookie)).range).toBe('24h');
  });
});

describe('GET /api/v1.0/auditLogs/provisioning/summary', () => {
  it('counts the last 24 hours per hour and status, the current hour last', async () => {
    const s = await summary('');
    expect(s).toMatchObject({
      range: '24h',
      interval: 'PT1H',
      from: '2026-10-31T11:00:00.000Z',
      to: '2026-11-01T11:00:00.000Z',
    });
    expect(s.buckets).toHaveLength(24);
    expect(s.buckets.at(-1)).toEqual({
      start: '2026-11-01T10:00:00.000Z',
      counts: { success: 2, skipped: 1, failure: 1, warning: 0 },
    });
    expect(s.buckets.at(-2)!.counts).toEqual({ success: 0, skipped: 0, failure: 0, warning: 1 });
    expect(s.buckets.find((b) => b.start === '2026-11-01T05:00:00.000Z')!.counts.success).toBe(1);
    expect(s.totals).toEqual({ success: 3, skipped: 1, failure: 1, warning: 1 });
  });

  it('counts one application only with servicePrincipalId', async () => {
    const s = await summary(`?servicePrincipalId=${SP}`);
    expect(s.totals).toEqual({ success: 2, skipped: 1, failure: 0, warning: 1 });
  });

  it.each([
    ['7d', 7, '2026-10-26T00:00:00.000Z', { success: 3, skipped: 1, failure: 2, warning: 1 }],
    ['30d', 30, '2026-10-03T00:00:00.000Z', { success: 3, skipped: 2, failure: 2, warning: 1 }],
  ] as const)('counts %s per UTC day', async (range, days, from, totals) => {
    const s = await summary(`?range=${range}`);
    expect(s.interval).toBe('P1D');
    expect(s.buckets).toHaveLength(days);
    expect(s.from).toBe(from);
    expect(s.totals).toEqual(totals);
    expect(s.buckets.find((b) => b.start === '2026-10-31T00:00:00.000Z')!.counts.failure).toBe(1);
  });

  it('lists the last cycles with their durations, newest first, null while one runs', async () => {
    for (const query of ['', `?servicePrincipalId=${app.spId}`]) {
      const s = await summary(query);
      expect(s.cycles.map((c) => [c.id, c.durationInMilliseconds])).toEqual([
        ['cycle-2', null],
        ['cycle-1', 150_000],
      ]);
      expect(s.cycles[1]).toMatchObject({
        jobId: app.jobId,
        kind: 'Initial',
        state: 'Succeeded',
        servicePrincipal: { id: app.spId, displayName: 'Charts App' },
      });
    }
    expect((await summary(`?servicePrincipalId=${SP}`)).cycles).toEqual([]);
  });

  it('says how far back each log goes and how long it is kept', async () => {
    const s = await summary('');
    const oldest = new Date(NOW.getTime() - 40 * 24 * 60 * 60_000).toISOString();
    expect(s.retention.provisioning).toEqual({ days: 45, oldestEventDateTime: oldest });
    // Creating the application and its job wrote the first audit events.
    expect(s.retention.audit.days).toBe(7);
    expect(s.retention.audit.oldestEventDateTime).toEqual(expect.any(String));
    expect(
      (await summary(`?servicePrincipalId=${OTHER_SP}`)).retention.provisioning.oldestEventDateTime,
    ).toBe(new Date(NOW.getTime() - 5 * 60 * 60_000).toISOString());
    expect(
      (await summary(`?servicePrincipalId=${app.spId}`)).retention.provisioning.oldestEventDateTime,
    ).toBeNull();
  });

  it('refuses an unknown range with a 400 naming the field and the values it takes', async () => {
    const res = await t.app.inject({ url: `${URL}?range=1y`, headers: { cookie: t.reader } });
    expect(res.statusCode).toBe(400);
    const error = errorOf(res);
    expect(error.code).toBe('request.invalid');
    expect(error.details?.[0]?.target).toMatch(/range/);
    expect(error.message).toMatch(/range/);
    expect(error.message).toMatch(/24h/);
  });

  it('refuses an empty servicePrincipalId with a 400; an id of no application sums up nothing', async () => {
    const empty = await t.app.inject({ url: `${URL}?servicePrincipalId=`, headers: { cookie: t.reader } });
    expect(empty.statusCode).toBe(400);
    expect(errorOf(empty).details?.[0]?.target).toMatch(/servicePrincipalId/);
    const none = await summary(`?servicePrincipalId=${NO_ID}`);
    expect(none.totals).toEqual({ success: 0, skipped: 0, failure: 0, warning: 0 });
    expect(none.cycles).toEqual([]);
    expect(none.retention.provisioning.oldestEventDateTime).toBeNull();
  });

  it('is described in the OpenAPI document', async () => {
    const res = await t.app.inject({ url: '/api/openapi.json' });
    const doc = res.json() as { paths: Record<string, { get?: { summary?: string } }> };
    expect(doc.paths['/api/v1.0/auditLogs/provisioning/summary']?.get?.summary).toMatch(/per hour/);
  });
});

describe('retention settings', () => {
  it('reads the days the worker keeps each log, 30 by default, and refuses a bad value naming the variable', () => {
    expect(readConfig({}, '/srv').logRetention).toEqual({ provisioningDays: 30, auditDays: 30 });
    expect(
      readConfig({ PROVISIO_PROVISIONING_LOG_DAYS: '90', PROVISIO_AUDIT_LOG_DAYS: '7' }, '/srv').logRetention,
    ).toEqual({ provisioningDays: 90, auditDays: 7 });
    expect(() => readConfig({ PROVISIO_AUDIT_LOG_DAYS: '0' }, '/srv')).toThrow(/PROVISIO_AUDIT_LOG_DAYS=0/);
  });
});
