import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CyclePreview, CyclePreviewObject, CyclePreviewObjectCollection } from '@provisio/contracts';
import {
  auditEvents,
  configuredJob,
  createAppWithJob,
  createUser,
  describeAccess,
  errorOf,
  NO_ID,
  startTestApp,
  type TestContext,
} from './helpers';

// No worker runs here: a stand-in plans through the database the way a worker does (claim with
// the job's lease, describe, write objects, complete).
let t: TestContext;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const jobUrl = (spId: string, jobId: string) =>
  `/api/v1.0/servicePrincipals/${spId}/synchronization/jobs/${jobId}`;

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie: t.admin }, ...(payload ? { payload } : {}) });

const object = (id: string, action: CyclePreviewObject['action']): CyclePreviewObject => ({
  sourceIdentity: { id, displayName: `User ${id}`, identityType: 'User' },
  targetIdentity: { id: '', displayName: '', identityType: 'urn:ietf:params:scim:schemas:core:2.0:User' },
  action,
  reason: `${action} because`,
  modifiedProperties: action === 'update' ? [{ displayName: 'title', oldValue: 'a', newValue: 'b' }] : [],
});

/** What a worker does with a waiting preview. */
async function plan(jobId: string, objects: CyclePreviewObject[]): Promise<string> {
  const claimed = await t.db.previews.claimPreview('stand-in', new Date(), 60_000);
  if (!claimed) throw new Error('nothing to claim');
  const job = await t.db.jobs.getJob(jobId);
  await t.db.previews.describePreview(claimed.id, 'stand-in', {
    cycleKind: 'Initial',
    configHash: await t.db.jobs.configurationFingerprint(jobId),
    watermark: job.watermark,
    upTo: await t.db.directory.latestChangeSeq(),
  });
  await t.db.previews.insertObjects(
    claimed.id,
    0,
    objects.map((o) => ({
      objectType: 'User',
      sourceId: o.sourceIdentity.id,
      searchText: o.sourceIdentity.displayName.toLowerCase(),
      object: o,
    })),
  );
  const counts = { create: 0, update: 0, disable: 0, delete: 0, skip: 0, staged: 0, failed: 0 };
  for (const o of objects) counts[o.action] += 1;
  await t.db.previews.completePreview(
    claimed.id,
    'stand-in',
    { status: 'succeeded', counts, error: null },
    new Date(),
  );
  await t.db.jobs.releaseLease(jobId, 'stand-in');
  return claimed.id;
}

describe('access', () => {
  const base = jobUrl(NO_ID, 'scim.0');
  describeAccess(it, () => t, [
    { method: 'POST', url: `${base}/previews` },
    { method: 'GET', url: `${base}/previews` },
    { method: 'GET', url: `${base}/previews/${NO_ID}` },
    { method: 'GET', url: `${base}/previews/${NO_ID}/objects` },
    { method: 'POST', url: `${base}/previews/${NO_ID}/run` },
  ]);
});

describe('previews of the next cycle', () => {
  it('refuses a job without a Tenant URL, and answers 404 for a preview it does not have', async () => {
    const { spId, jobId } = await createAppWithJob(t, 'Unconfigured Preview App');
    const res = await call('POST', `${jobUrl(spId, jobId)}/previews`);
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).code).toBe('provisioning_job.not_configured');
    const missing = await call('GET', `${jobUrl(spId, jobId)}/previews/${NO_ID}`);
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing).code).toBe('provisioning_preview.not_found');
  });

  it('202 running; the plan pages by action; Run this plan starts provisioning, says how many changed, and runs once', async () => {
    const { spId, jobId } = await configuredJob(t, 'Preview App');
    const created = await call('POST', `${jobUrl(spId, jobId)}/previews`);
    expect(created.statusCode).toBe(202);
    const running = created.json<CyclePreview>();
    expect(running).toMatchObject({ status: 'running', counts: { create: 0, update: 0 }, run: null });
    const early = await call('POST', `${jobUrl(spId, jobId)}/previews/${running.id}/run`);
    expect(early.statusCode).toBe(409);
    expect(errorOf(early).code).toBe('provisioning_preview.not_ready');

    const changedUser = await createUser(t, 'preview.changed@contoso.com');
    const ids = [changedUser, 'u2', 'u3', 'u4'];
    const previewId = await plan(jobId, [
      object(ids[0] as string, 'update'),
      object(ids[1] as string, 'update'),
      object(ids[2] as string, 'create'),
      object(ids[3] as string, 'skip'),
    ]);
    expect(previewId).toBe(running.id);
    const done = (await call('GET', `${jobUrl(spId, jobId)}/previews/${previewId}`)).json<CyclePreview>();
    expect(done).toMatchObject({
      status: 'succeeded',
      cycleKind: 'Initial',
      counts: { update: 2, create: 1, skip: 1 },
      staleReason: null,
      initiatedBy: { displayName: 'admin' },
    });

    const page = await call(
      'GET',
      `${jobUrl(spId, jobId)}/previews/${previewId}/objects?action=update&$top=1`,
    );
    expect(page.statusCode).toBe(200);
    const first = page.json<CyclePreviewObjectCollection>();
    expect(first.value).toHaveLength(1);
    expect(first.value[0]?.modifiedProperties).toEqual([
      { displayName: 'title', oldValue: 'a', newValue: 'b' },
    ]);
    const next = first['@odata.nextLink'] as string;
    expect(next).toContain('action=update');
    const second = (await call('GET', next)).json<CyclePreviewObjectCollection>();
    expect(second.value.map((o) => o.sourceIdentity.id)).toEqual([ids[1]]);
    expect(second['@odata.nextLink']).toBeUndefined();
    const bad = await call('GET', `${jobUrl(spId, jobId)}/previews/${previewId}/objects?action=remove`);
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).details?.[0]?.target).toContain('action');

    // One previewed user changes in the directory before the plan runs.
    const patched = await call('PATCH', `/api/v1.0/users/${changedUser}`, { jobTitle: 'Changed' });
    expect(patched.statusCode).toBeLessThan(300);
    expect((await t.db.jobs.getJob(jobId)).scheduleState).not.toBe('Active');
    const run = await call('POST', `${jobUrl(spId, jobId)}/previews/${previewId}/run`);
    expect(run.statusCode).toBe(202);
    expect(run.json<CyclePreview>().run).toMatchObject({
      changedSincePreview: 1,
      initiatedBy: { displayName: 'admin' },
    });
    const job = await t.db.jobs.getJob(jobId);
    expect(job.scheduleState).toBe('Active');
    expect(job.runRequestedAt).not.toBeNull();
    expect((await auditEvents(t))[0]).toMatchObject({
      activityDisplayName: 'Run previewed provisioning cycle',
      additionalDetails: expect.arrayContaining([{ key: 'PreviewId', value: previewId }]),
    });
    const again = await call('POST', `${jobUrl(spId, jobId)}/previews/${previewId}/run`);
    expect(again.statusCode).toBe(409);
    expect(errorOf(again).code).toBe('provisioning_preview.already_run');
  });

  it('a plan made before a settings change or a cycle is stale: 409 with the reason', async () => {
    const { spId, jobId } = await configuredJob(t, 'Stale Preview App');
    await call('POST', `${jobUrl(spId, jobId)}/previews`);
    const previewId = await plan(jobId, [object('u1', 'update')]);
    const patched = await call('PATCH', jobUrl(spId, jobId), {
      synchronizationJobSettings: [{ name: 'QuarantineTooManyDeletesThreshold', value: '10' }],
    });
    expect(patched.statusCode).toBe(200);
    const stale = (await call('GET', `${jobUrl(spId, jobId)}/previews/${previewId}`)).json<CyclePreview>();
    expect(stale.staleReason).toMatch(/mappings, scope or settings changed/);
    const res = await call('POST', `${jobUrl(spId, jobId)}/previews/${previewId}/run`);
    expect(res.statusCode).toBe(409);
    expect(errorOf(res).code).toBe('provisioning_preview.stale');
    expect(errorOf(res).message).toContain('Preview the next cycle again');

    await call('POST', `${jobUrl(spId, jobId)}/previews`);
    const fresh = await plan(jobId, [object('u1', 'update')]);
    await t.db.jobs.updateJob(jobId, { watermark: 42 });
    const afterCycle = (await call('GET', `${jobUrl(spId, jobId)}/previews/${fresh}`)).json<CyclePreview>();
    expect(afterCycle.staleReason).toMatch(/cycle ran since this preview/);
    const list = (await call('GET', `${jobUrl(spId, jobId)}/previews`)).json<{ value: CyclePreview[] }>();
    expect(list.value.map((p) => p.id)).toEqual([fresh, previewId]);
  });
});
