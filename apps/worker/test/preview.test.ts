// Previews of the next cycle against the real sample app: what the cycle would do to each object,
// planned through the cycle's own pipeline, with only reads sent to the application and nothing of
// the job changed; then the cycle that follows does what the preview said.
import { describe, expect, it } from 'vitest';
import type { ProvisioDb } from '@provisio/db';
import type { AttributeMapping } from '@provisio/engine';
import { addUser, assign, defaultUserMappings, mapInOrder, scimSchema, seedJob } from './harness';
import { cycleSuite } from './suite';

const t = cycleSuite();

/** What the API's POST …/previews records, then the worker's claim and plan. */
async function preview(db: ProvisioDb, jobId: string) {
  const record = await db.previews.insertPreview({
    id: `preview-${Math.random().toString(36).slice(2)}`,
    jobId,
    requestedBy: { id: 'admin', userName: 'admin@provisio.local' },
    createdAt: new Date().toISOString(),
  });
  const report = await t.worker.runPreviewOnce();
  if (!report) throw new Error('no preview was claimed');
  const objects = (await db.previews.listObjects(record.id, { top: 999 })).items;
  return { report, record: await db.previews.getPreview(record.id), objects };
}

/** Saves new user mappings as the API's schema PUT does: the next cycle is an initial cycle. */
async function saveMappings(db: ProvisioDb, jobId: string, mappings: AttributeMapping[]) {
  await db.jobs.updateJob(jobId, { schema: scimSchema(jobId, mappings), watermark: null });
}

const titleFrom = (expression: string): AttributeMapping[] =>
  defaultUserMappings().map((m) =>
    m.targetAttributeName === 'title'
      ? { ...m, source: { type: 'Function', name: null, expression, parameters: [] } }
      : m,
  );

describe('preview of the next cycle', () => {
  it('after a mapping change: each user’s update with old → new, only GETs sent, the job untouched; the cycle then does exactly that', async () => {
    const { spId, jobId } = await seedJob(t.db, t.app);
    const users = await mapInOrder(['ana', 'ben', 'cai'], (n) => addUser(t.db, n, { jobTitle: 'Engineer' }));
    for (const u of users) await assign(t.db, spId, u.id);
    const unassigned = await addUser(t.db, 'dee');
    expect((await t.cycle(jobId)).tally.created).toBe(3);

    await saveMappings(t.db, jobId, titleFrom('Append([jobTitle], " (contractor)")'));
    const before = await t.db.jobs.getJob(jobId);
    const eventsBefore = (await t.events(jobId)).length;
    await t.app.clearRequests();

    const { report, record, objects } = await preview(t.db, jobId);
    expect(report.state).toBe('succeeded');
    expect(record).toMatchObject({
      status: 'succeeded',
      cycleKind: 'Initial',
      counts: { create: 0, update: 3, disable: 0, delete: 0, skip: 0, staged: 0, failed: 0 },
    });
    expect(objects).toHaveLength(3);
    for (const o of objects) {
      expect(o).toMatchObject({
        action: 'update',
        reason: expect.stringContaining('1 attribute differs from Sample SCIM App: title'),
        modifiedProperties: [
          { displayName: 'title', oldValue: 'Engineer', newValue: 'Engineer (contractor)' },
        ],
      });
    }
    expect(objects.map((o) => o.sourceIdentity.id)).not.toContain(unassigned.id);
    // Reads only, and nothing of the job changed.
    const sent = await t.app.requests();
    expect(sent.length).toBeGreaterThan(0);
    expect(new Set(sent.map((r) => r.method))).toEqual(new Set(['GET']));
    for (const u of await t.app.users()) expect(u.title).toBe('Engineer');
    const after = await t.db.jobs.getJob(jobId);
    expect(after).toMatchObject({
      watermark: before.watermark,
      configHash: before.configHash,
      status: before.status,
      cycleCheckpoint: null,
    });
    expect(await t.events(jobId)).toHaveLength(eventsBefore);
    expect(record.configHash).toBe(await t.db.jobs.configurationFingerprint(jobId));

    const cycle = await t.cycle(jobId);
    expect(cycle.tally).toMatchObject({ updated: 3, created: 0 });
    for (const u of await t.app.users()) expect(u.title).toBe('Engineer (contractor)');
  });

  it('an incremental preview: a new assignment is a create, an unassignment a disable with the reason; over the deletion threshold they are staged', async () => {
    const { spId, jobId } = await seedJob(t.db, t.app, {
      settings: { QuarantineTooManyDeletesThreshold: '1' },
    });
    const users = await mapInOrder(['ana', 'ben', 'cai'], (n) => addUser(t.db, n));
    const assignments = await mapInOrder(users, (u) => assign(t.db, spId, u.id));
    await t.cycle(jobId);

    const fay = await addUser(t.db, 'fay');
    await assign(t.db, spId, fay.id);
    await t.db.applications.deleteAssignment(assignments[0] as string);
    let { record, objects } = await preview(t.db, jobId);
    expect(record).toMatchObject({ cycleKind: 'Incremental', counts: { create: 1, disable: 1, staged: 0 } });
    expect(objects.find((o) => o.action === 'create')).toMatchObject({
      sourceIdentity: { id: fay.id },
      reason: expect.stringContaining('would be created in Sample SCIM App'),
      modifiedProperties: expect.arrayContaining([
        { displayName: 'userName', oldValue: null, newValue: 'fay@contoso.com' },
      ]),
    });
    expect(objects.find((o) => o.action === 'disable')).toMatchObject({
      sourceIdentity: { id: users[0]?.id },
      reason: expect.stringMatching(/not assigned to the application.*would be disabled in Sample SCIM App/),
    });

    await t.db.applications.deleteAssignment(assignments[1] as string);
    ({ record, objects } = await preview(t.db, jobId));
    expect(record.counts).toMatchObject({ create: 1, disable: 0, staged: 2 });
    expect(objects.filter((o) => o.action === 'staged')).toHaveLength(2);
    expect((await t.db.jobs.getJob(jobId)).statusCode).not.toBe('Quarantine');
    // The page's filter and search.
    expect((await t.db.previews.listObjects(record.id, { action: 'staged', top: 10 })).items).toHaveLength(2);
    expect((await t.db.previews.listObjects(record.id, { search: 'FAY', top: 10 })).items).toHaveLength(1);
  });

  it('a target that rejects the token fails the preview with the reason, and leaves the job out of quarantine', async () => {
    const { spId, jobId } = await seedJob(t.db, t.app, { token: 'wrong' });
    await assign(t.db, spId, (await addUser(t.db, 'ana')).id);
    const { report, record } = await preview(t.db, jobId);
    expect(report.state).toBe('failed');
    expect(record.status).toBe('failed');
    expect(record.error?.message).toMatch(/401|rejected|credentials/i);
    expect((await t.db.jobs.getJob(jobId)).statusCode).not.toBe('Quarantine');
    expect((await t.db.jobs.getJob(jobId)).leaseOwner).toBeNull();
  });
});
