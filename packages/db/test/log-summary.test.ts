import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProvisioningObjectSummary, ProvisioningResult } from '@provisio/contracts';
import { logSummarySql, type ProvisioDb, type SqliteProvisioDb } from '../src/index';
import { tempDb, testDb } from './helpers';

let db: ProvisioDb;
let cleanup: () => Promise<void>;

const event = (
  i: number,
  status: ProvisioningResult,
  sp: string,
  minute: number,
): ProvisioningObjectSummary => ({
  id: `evt-${i}`,
  activityDateTime: new Date(Date.UTC(2026, 10, 1, 0, minute)).toISOString(),
  changeId: `change-${i}`,
  cycleId: 'cycle',
  jobId: 'scim.job',
  durationInMilliseconds: 1,
  initiatedBy: { id: '', displayName: 'Provisio', initiatorType: 'system' },
  modifiedProperties: [],
  provisioningAction: 'create',
  provisioningStatusInfo: { status, errorInformation: null },
  provisioningSteps: [],
  servicePrincipal: { id: sp, displayName: 'App' },
  sourceIdentity: { id: `u${i}`, displayName: `User ${i}`, identityType: 'User', details: {} },
  targetIdentity: { id: '', displayName: '', identityType: 'User', details: {} },
  sourceSystem: { id: 'provisio', displayName: 'Provisio Directory', details: {} },
  targetSystem: { id: 'scim', displayName: 'App', details: {} },
  tenantId: 'provisio',
});

async function jobOf(name: string): Promise<{ spId: string; jobId: string }> {
  const sp = await db.applications.insertServicePrincipal({ displayName: name });
  const { id: jobId } = await db.jobs.insertJob({
    id: `scim.${name}`,
    servicePrincipalId: sp.id,
    templateId: 'scim',
    schema: { id: `scim.${name}`, version: '1', directories: [], synchronizationRules: [] },
    intervalSeconds: 2400,
  });
  return { spId: sp.id, jobId };
}

describe('log summary', () => {
  beforeEach(async () => {
    ({ db, cleanup } = await testDb());
  });
  afterEach(() => cleanup());

  it('counts events per period and status, of one application or of all', async () => {
    await db.events.insertProvisioningEvents([
      event(1, 'success', 'a', 0),
      event(2, 'skipped', 'a', 10),
      event(3, 'failure', 'b', 20),
      event(4, 'success', 'a', 70),
    ]);
    const hours = [
      { from: '2026-11-01T00:00:00.000Z', to: '2026-11-01T01:00:00.000Z' },
      { from: '2026-11-01T01:00:00.000Z', to: '2026-11-01T02:00:00.000Z' },
    ];
    expect(await db.logSummary.countEventsByStatus(hours)).toEqual([
      { success: 1, skipped: 1, failure: 1, warning: 0 },
      { success: 1, skipped: 0, failure: 0, warning: 0 },
    ]);
    expect(await db.logSummary.countEventsByStatus(hours, 'a')).toEqual([
      { success: 1, skipped: 1, failure: 0, warning: 0 },
      { success: 1, skipped: 0, failure: 0, warning: 0 },
    ]);
    expect(await db.logSummary.oldestProvisioningEventTime('b')).toBe('2026-11-01T00:20:00.000Z');
    expect(await db.logSummary.oldestProvisioningEventTime('none')).toBeNull();
  });

  it('lists the newest cycles across jobs, or of one application, newest first', async () => {
    const a = await jobOf('Alpha');
    const b = await jobOf('Beta');
    for (const [i, job] of [a, b, a, b, a].entries()) {
      await db.cycles.insertCycle({
        id: `cycle-${i}`,
        jobId: job.jobId,
        kind: 'Incremental',
        beganAt: new Date(Date.UTC(2026, 10, 1, i)).toISOString(),
      });
    }
    const all = await db.logSummary.listRecentCycles(3);
    expect(all.map((c) => c.id)).toEqual(['cycle-4', 'cycle-3', 'cycle-2']);
    expect(all[1]).toMatchObject({
      jobId: b.jobId,
      servicePrincipalId: b.spId,
      servicePrincipalName: 'Beta',
    });
    expect((await db.logSummary.listRecentCycles(20, a.spId)).map((c) => c.id)).toEqual([
      'cycle-4',
      'cycle-2',
      'cycle-0',
    ]);
  });
});

// SQLite only: EXPLAIN QUERY PLAN is SQLite's.
describe('log summary statements', () => {
  let sqlite: SqliteProvisioDb;
  let cleanupSqlite: () => Promise<void>;
  beforeAll(() => {
    ({ db: sqlite, cleanup: cleanupSqlite } = tempDb());
  });
  afterAll(() => cleanupSqlite());

  const plan = (sql: string) =>
    (
      sqlite.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(
        ...sql
          .split('?')
          .slice(1)
          .map(() => 'x'),
      ) as { detail: string }[]
    )
      .map((r) => r.detail)
      .join(' | ');

  it.each([
    [
      'countAll',
      /COVERING INDEX provisioning_events_status_time \(status=\? AND activity_date_time>\? AND activity_date_time<\?\)/,
    ],
    [
      'countOfApp',
      /INDEX provisioning_events_sp_time \(service_principal_id=\? AND activity_date_time>\? AND activity_date_time<\?\)/,
    ],
    ['oldestOfApp', /COVERING INDEX provisioning_events_sp_time \(service_principal_id=\?\)/],
    ['recentCycles', /SEARCH cycles USING COVERING INDEX cycles_job \(job_id=\?\)/],
    [
      'recentCyclesOfApp',
      /SEARCH j USING INDEX provisioning_jobs_sp \(service_principal_id=\?\).*cycles_job \(job_id=\?\)/,
    ],
  ] as const)('%s walks an index', (name, expected) => {
    const detail = plan(logSummarySql[name]);
    expect(detail).toMatch(expected);
    expect(detail).not.toMatch(/SCAN (provisioning_events|cycles)\b/);
  });
});
