// Log retention: events past their period go in small batches while a cycle writes new ones, and
// nothing newer is touched.
import { describe, expect, it } from 'vitest';
import type { ProvisioningObjectSummary } from '@provisio/engine';
import { LogRetention } from '../src/log-retention';
import { addUser, assign, seedJob } from './harness';
import { cycleSuite } from './suite';

const t = cycleSuite();
const DAY = 24 * 60 * 60 * 1000;

/** A provisioning event of `daysAgo` days ago, as a cycle writes one. */
async function oldEvent(i: number, daysAgo: number, jobId: string): Promise<ProvisioningObjectSummary> {
  const [template] = await t.events(jobId);
  if (!template) throw new Error('no event to copy');
  return {
    ...template,
    id: `old-${daysAgo}-${String(i).padStart(5, '0')}`,
    changeId: `old-change-${daysAgo}-${i}`,
    activityDateTime: new Date(Date.now() - daysAgo * DAY - i).toISOString(),
  };
}

describe('log retention', () => {
  it('removes events older than the period in batches while a cycle writes, and keeps the rest', async () => {
    const { spId, jobId } = await seedJob(t.db, t.app);
    const users = [];
    for (let k = 0; k < 30; k += 1) users.push(await addUser(t.db, `keep${k}`));
    for (const u of users.slice(0, 10)) await assign(t.db, spId, u.id);
    await t.cycle(jobId);
    const expired = await Promise.all(Array.from({ length: 4_500 }, (_, i) => oldEvent(i, 31, jobId)));
    const kept = await Promise.all(Array.from({ length: 200 }, (_, i) => oldEvent(i, 29, jobId)));
    await t.db.transaction((tx) => tx.events.insertProvisioningEvents([...expired, ...kept]));
    for (let i = 0; i < 1_200; i += 1) {
      await t.db.events.insertAuditEvent({
        id: `audit-old-${i}`,
        category: 'ProvisioningManagement',
        correlationId: 'c',
        result: 'success',
        resultReason: '',
        activityDisplayName: 'Quarantine',
        activityDateTime: new Date(Date.now() - 40 * DAY - i).toISOString(),
        loggedByService: 'Account Provisioning',
        operationType: 'Update',
        initiatedBy: { user: null, app: { displayName: 'x', servicePrincipalId: null } },
        targetResources: [],
        additionalDetails: [],
      });
    }
    const before = (await t.db.events.listProvisioningEvents({ jobId }, { top: 1000 })).items.length;
    expect(before).toBe(1000);

    const lines: string[] = [];
    const retention = new LogRetention(
      t.db,
      { provisioningDays: 30, auditDays: 30, batchSize: 1_000, intervalMs: 60_000 },
      () => new Date(),
      (line) => lines.push(line),
    );
    const batches: number[] = [];
    const purge = retention.purgeBatch.bind(retention);
    retention.purgeBatch = async () => {
      const removed = await purge();
      batches.push(removed.provisioning);
      return removed;
    };
    // A cycle of 20 more users runs while the purge drains.
    for (const u of users.slice(10)) await assign(t.db, spId, u.id);
    const [cycle, total] = await Promise.all([t.cycle(jobId), retention.drain()]);
    expect(cycle.tally.created).toBe(20);
    expect(total).toEqual({ provisioning: 4_500, audit: 1_200 });
    expect(batches.length).toBeGreaterThanOrEqual(5);
    expect(Math.max(...batches)).toBeLessThanOrEqual(1_000);

    const left = await t.sql.get<{ n: number }>(
      'SELECT COUNT(*) AS n FROM provisioning_events WHERE id LIKE ?',
      ['old-31-%'],
    );
    expect(left?.n).toBe(0);
    const keptLeft = await t.sql.get<{ n: number }>(
      'SELECT COUNT(*) AS n FROM provisioning_events WHERE id LIKE ?',
      ['old-29-%'],
    );
    expect(keptLeft?.n).toBe(200);
    // The cycles' own events are all there: 10 from the first, 20 from the one that ran beside the purge.
    expect((await t.events(jobId)).filter((e) => !e.id.startsWith('old-'))).toHaveLength(30);
    expect((await t.db.events.oldestEventTimes()).audit).toBeNull();
    expect(lines).toEqual([
      expect.stringContaining('retention removed provisioningEvents=4500 auditEvents=1200'),
    ]);
  });
});
