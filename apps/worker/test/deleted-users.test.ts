// A user's whole life in the directory as it reaches the application (the reference's
// deprovisioning rules): deleted (soft) → disabled; restored → active again; deleted for good when its
// days in Deleted users ran out → DELETEd with the Delete action on, left disabled with it off.
import { describe, expect, it } from 'vitest';
import type { ProvisioDb } from '@provisio/db';
import { DeletedUserPurge } from '../src/deleted-user-purge';
import { addUser, assign, seedJob } from './harness';
import { cycleSuite } from './suite';

const t = cycleSuite();
const DAY = 24 * 60 * 60 * 1000;

/** A purge whose clock is `daysLater` days ahead, as if that long had passed. */
function purgeAfter(daysLater: number, batchSize = 100, db: ProvisioDb = t.db) {
  const lines: string[] = [];
  const purge = new DeletedUserPurge(
    db,
    { days: 30, batchSize, intervalMs: 60_000 },
    () => new Date(Date.now() + daysLater * DAY),
    (line) => lines.push(line),
  );
  return { purge, lines };
}

/**
 * The test's database, where a purge that has read its batch of due users waits (a second at most)
 * until `readers` purges have read theirs, so that their batches hold the same users. On SQLite the
 * first purge's transaction holds the database: it waits the second, then goes on alone.
 */
function readingTogether(db: ProvisioDb, readers: number): ProvisioDb {
  let read = 0;
  let allRead: () => void = () => undefined;
  const together = new Promise<void>((resolve) => (allRead = resolve));
  return {
    ...db,
    transaction: (fn) =>
      db.transaction((tx) => {
        const directory = Object.create(tx.directory) as typeof tx.directory;
        directory.listDeletedUsersBefore = async (before, limit) => {
          const due = await tx.directory.listDeletedUsersBefore(before, limit);
          read += 1;
          if (read >= readers) allRead();
          await Promise.race([together, new Promise((resolve) => setTimeout(resolve, 1000))]);
          return due;
        };
        return fn({ ...tx, directory });
      }),
  };
}

async function provisioned(flowTypes?: ('Add' | 'Update' | 'Delete')[]) {
  const adele = await addUser(t.db, 'adele');
  const { spId, jobId } = await seedJob(t.db, t.app, flowTypes ? { flowTypes } : {});
  await assign(t.db, spId, adele.id);
  await t.cycle(jobId);
  expect((await t.account('adele@contoso.com'))?.active).toBe(true);
  return { adele, jobId };
}

describe('a deleted user in the application', () => {
  it('is disabled on delete, active again on restore, and deleted when its days in Deleted users ran out', async () => {
    const { adele, jobId } = await provisioned();

    await t.db.directory.softDeleteUser(adele.id);
    expect((await t.cycle(jobId)).tally).toMatchObject({ disabled: 1 });
    expect((await t.account('adele@contoso.com'))?.active).toBe(false);

    await t.db.directory.restoreUser(adele.id);
    expect((await t.cycle(jobId)).tally).toMatchObject({ updated: 1 });
    expect((await t.account('adele@contoso.com'))?.active).toBe(true);

    await t.db.directory.softDeleteUser(adele.id);
    await t.cycle(jobId);
    expect((await t.account('adele@contoso.com'))?.active).toBe(false);

    // Not yet due: nothing goes.
    expect(await purgeAfter(29).purge.drain()).toBe(0);
    expect(await t.db.directory.findUser(adele.id)).not.toBeNull();

    const { purge, lines } = purgeAfter(31);
    expect(await purge.drain()).toBe(1);
    expect(lines.join('\n')).toContain('removed for good=1');
    expect(await t.db.directory.findUser(adele.id)).toBeNull();
    const [audit] = (await t.db.events.listAuditEvents({}, { top: 10 })).items;
    expect(audit).toMatchObject({
      activityDisplayName: 'Hard delete user',
      category: 'UserManagement',
      targetResources: [{ id: adele.id, displayName: 'adele@contoso.com', type: 'User' }],
    });

    await t.app.clearRequests();
    const report = await t.cycle(jobId);
    expect(report.tally).toMatchObject({ deleted: 1 });
    expect((await t.app.requests()).some((r) => r.method === 'DELETE')).toBe(true);
    expect(await t.account('adele@contoso.com')).toBeUndefined();
    const [event] = await t.events(jobId, { cycleId: report.cycleId });
    expect(event).toMatchObject({
      provisioningAction: 'delete',
      provisioningStatusInfo: { status: 'success' },
    });
  });

  it('stays disabled when deleted for good while the Delete action is off (DeleteActionDisabled)', async () => {
    const { adele, jobId } = await provisioned(['Add', 'Update']);
    await t.db.directory.softDeleteUser(adele.id);
    await t.cycle(jobId);
    await t.db.directory.hardDeleteUser(adele.id);

    await t.app.clearRequests();
    const report = await t.cycle(jobId);
    expect(report.tally).toMatchObject({ deleted: 0 });
    expect((await t.app.requests()).filter((r) => r.method !== 'GET')).toEqual([]);
    expect((await t.account('adele@contoso.com'))?.active).toBe(false);
    expect(
      (await t.events(jobId, { cycleId: report.cycleId }))[0]?.provisioningStatusInfo.errorInformation
        ?.errorCode,
    ).toBe('DeleteActionDisabled');
  });
});

describe('the purge of Deleted users', () => {
  it('goes in small batches, oldest first, and leaves live and recently deleted users alone', async () => {
    const users = [];
    for (let k = 0; k < 7; k += 1) users.push(await addUser(t.db, `gone${k}`));
    for (const u of users.slice(0, 5)) await t.db.directory.softDeleteUser(u.id);
    const live = users[5]!;
    const { purge } = purgeAfter(31, 2);
    const batches: number[] = [];
    const batch = purge.purgeBatch.bind(purge);
    purge.purgeBatch = async () => {
      const n = await batch();
      batches.push(n);
      return n;
    };
    expect(await purge.drain()).toBe(5);
    expect(batches).toEqual([2, 2, 1]);
    expect(await t.db.directory.findUser(live.id)).not.toBeNull();
    const purged = [];
    for (const u of users.slice(0, 5)) purged.push(await t.db.directory.findUser(u.id));
    expect(purged.every((u) => u === null)).toBe(true);
    await purge.stop();
  });

  it('run by two workers at once removes each user once, with one audit event each', async () => {
    const users = [];
    for (let k = 0; k < 5; k += 1) users.push(await addUser(t.db, `twice${k}`));
    for (const u of users) await t.db.directory.softDeleteUser(u.id);
    const db = readingTogether(t.db, 2);
    const first = purgeAfter(31, 100, db);
    const second = purgeAfter(31, 100, db);
    const removed = await Promise.all([first.purge.drain(), second.purge.drain()]);
    expect(removed[0] + removed[1]).toBe(5);
    expect([...first.lines, ...second.lines].join('\n')).not.toContain('failed');
    const audits = (await t.db.events.listAuditEvents({}, { top: 100 })).items.filter(
      (e) => e.activityDisplayName === 'Hard delete user',
    );
    expect(audits.map((e) => e.targetResources[0]?.id).sort()).toEqual(users.map((u) => u.id).sort());
  });
});
