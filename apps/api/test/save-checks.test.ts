import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  DirectoryAudit,
  RestoreDefaultsResult,
  SecretsView,
  SynchronizationJob,
  SynchronizationSchema,
} from '@provisio/contracts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAppWithJob, describeAccess, errorOf, NO_ID, startTestApp, type TestContext } from './helpers';

/** A SCIM endpoint that accepts one bearer token and answers Test Connection's lookup. */
let scim: Server;
let scimUrl: string;
const TOKEN = 'save-check-token-5b1e';
let lookups = 0;
let t: TestContext;

beforeAll(async () => {
  scim = createServer((req: IncomingMessage, res) => {
    lookups += 1;
    res.writeHead(req.headers.authorization === `Bearer ${TOKEN}` ? 200 : 401, {
      'content-type': 'application/scim+json',
    });
    res.end(
      req.headers.authorization === `Bearer ${TOKEN}`
        ? JSON.stringify({
            schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
            totalResults: 0,
            startIndex: 1,
            itemsPerPage: 0,
            Resources: [],
          })
        : JSON.stringify({
            schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
            status: '401',
            detail: 'Bad token',
          }),
    );
  });
  await new Promise<void>((resolve) => scim.listen(0, '127.0.0.1', resolve));
  scimUrl = `http://127.0.0.1:${(scim.address() as AddressInfo).port}/scim`;
  t = await startTestApp({ now: () => new Date() });
});
afterAll(async () => {
  scim.closeAllConnections();
  await new Promise<void>((resolve) => scim.close(() => resolve()));
  await t.close();
});
beforeEach(() => {
  lookups = 0;
});

const jobUrl = (spId: string, jobId: string) =>
  `/api/v1.0/servicePrincipals/${spId}/synchronization/jobs/${jobId}`;

function putSecrets(spId: string, value: { key: string; value: string }[]) {
  return t.app.inject({
    method: 'PUT',
    url: `/api/v1.0/servicePrincipals/${spId}/synchronization/secrets`,
    headers: { cookie: t.admin },
    payload: { value },
  });
}

async function secrets(spId: string): Promise<SecretsView['value']> {
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/v1.0/servicePrincipals/${spId}/synchronization/secrets`,
    headers: { cookie: t.admin },
  });
  return (res.json() as SecretsView).value;
}

function patchJob(spId: string, jobId: string, payload: object) {
  return t.app.inject({ method: 'PATCH', url: jobUrl(spId, jobId), headers: { cookie: t.admin }, payload });
}

function restore(spId: string, jobId: string, payload: object) {
  return t.app.inject({
    method: 'POST',
    url: `${jobUrl(spId, jobId)}/schema/restoreDefaults`,
    headers: { cookie: t.admin },
    payload,
  });
}

async function audits(spId: string, activity: string): Promise<DirectoryAudit[]> {
  const res = await t.app.inject({
    method: 'GET',
    url: '/api/v1.0/auditLogs/directoryAudits?$top=1000',
    headers: { cookie: t.admin },
  });
  return (res.json() as { value: DirectoryAudit[] }).value.filter(
    (a) => a.targetResources[0]?.id === spId && a.activityDisplayName === activity,
  );
}

/** An application whose working credentials are saved and whose provisioning is On. */
async function runningJob(name: string): Promise<{ spId: string; jobId: string }> {
  const ids = await createAppWithJob(t, name);
  const saved = await putSecrets(ids.spId, [
    { key: 'BaseAddress', value: scimUrl },
    { key: 'SecretToken', value: TOKEN },
  ]);
  expect(saved.statusCode, saved.body).toBe(204);
  const started = await t.app.inject({
    method: 'POST',
    url: `${jobUrl(ids.spId, ids.jobId)}/start`,
    headers: { cookie: t.admin },
  });
  expect(started.statusCode, started.body).toBe(204);
  return ids;
}

describe('access', () => {
  describeAccess(it, () => t, [
    {
      method: 'POST',
      url: `/api/v1.0/servicePrincipals/${NO_ID}/synchronization/jobs/scim.0/schema/restoreDefaults`,
      payload: { preview: true },
    },
  ]);
});

describe('credentials are tested on save while provisioning is On', () => {
  it('refuses a wrong Secret Token with 400 and the reason, and saves nothing', async () => {
    const { spId } = await runningJob('Save Check On');
    lookups = 0;
    const res = await putSecrets(spId, [
      { key: 'SecretToken', value: 'not-the-token' },
      { key: 'SkipOutOfScopeDeletions', value: 'true' },
    ]);
    expect(res.statusCode).toBe(400);
    const error = errorOf(res);
    expect(error.code).toBe('synchronization.credentials_invalid');
    expect(error.message).toContain('The credentials were not saved');
    expect(error.message).toContain('HTTP 401');
    expect(error.message).toContain('turn Provisioning Status Off');
    expect(error.details?.[0]?.target).toBe('body/value/0/value');
    expect(res.body).not.toContain('not-the-token');
    expect(lookups).toBe(1);
    // Nothing was saved: neither the token nor the setting that came with it.
    expect((await secrets(spId)).find((s) => s.key === 'SkipOutOfScopeDeletions')?.hasValue).toBe(false);
    const test = await t.app.inject({
      method: 'POST',
      url: `/api/v1.0/servicePrincipals/${spId}/synchronization/jobs/${await createdJobId(spId)}/validateCredentials`,
      headers: { cookie: t.admin },
      payload: { useSavedCredentials: true },
    });
    expect(test.statusCode).toBe(204);
  });

  it('refuses a Tenant URL nothing answers at, and saves working credentials after testing them', async () => {
    const { spId } = await runningJob('Save Check URL');
    const unreachable = await putSecrets(spId, [{ key: 'BaseAddress', value: 'http://127.0.0.1:9/scim' }]);
    expect(unreachable.statusCode, unreachable.body).toBe(400);
    expect(errorOf(unreachable).code).toBe('synchronization.credentials_invalid');
    expect((await secrets(spId)).find((s) => s.key === 'BaseAddress')?.value).toBe(scimUrl);

    // Unchanged credentials are not tested again; changed ones that work are tested and saved.
    lookups = 0;
    expect((await putSecrets(spId, [{ key: 'SecretToken', value: TOKEN }])).statusCode).toBe(204);
    expect(lookups).toBe(0);
    const moved = await putSecrets(spId, [{ key: 'BaseAddress', value: `${scimUrl}/` }]);
    expect(moved.statusCode, moved.body).toBe(204);
    expect(lookups).toBe(1);
    expect((await secrets(spId)).find((s) => s.key === 'BaseAddress')?.value).toBe(`${scimUrl}/`);
    // Settings alone are not credentials: nothing is tested.
    lookups = 0;
    expect((await putSecrets(spId, [{ key: 'SyncAll', value: 'true' }])).statusCode).toBe(204);
    expect(lookups).toBe(0);
  });

  it('saves credentials untested while provisioning is Off', async () => {
    const { spId } = await createAppWithJob(t, 'Save Check Off');
    const res = await putSecrets(spId, [
      { key: 'BaseAddress', value: scimUrl },
      { key: 'SecretToken', value: 'not-the-token' },
    ]);
    expect(res.statusCode).toBe(204);
    expect(lookups).toBe(0);
    const saved = await secrets(spId);
    expect(saved.find((s) => s.key === 'BaseAddress')?.value).toBe(scimUrl);
    expect(saved.find((s) => s.key === 'SecretToken')?.hasValue).toBe(true);
  });
});

async function createdJobId(spId: string): Promise<string> {
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/v1.0/servicePrincipals/${spId}/synchronization/jobs`,
    headers: { cookie: t.admin },
  });
  return (res.json() as { value: SynchronizationJob[] }).value[0]!.id;
}

describe('cycle interval and Skip out of scope deletions', () => {
  it('sets the cycle interval, shows it whatever the state, audits it and brings the next cycle forward', async () => {
    const { spId, jobId } = await runningJob('Interval App');
    await t.db.jobs.updateJob(jobId, { nextRunAt: new Date(Date.now() + 10 * 3600_000).toISOString() });
    const res = await patchJob(spId, jobId, { schedule: { interval: 'PT1H' } });
    expect(res.statusCode, res.body).toBe(200);
    const job = res.json() as SynchronizationJob;
    expect(job.schedule).toMatchObject({ interval: 'PT1H', cycleInterval: 'PT1H', state: 'Active' });
    expect((await t.db.jobs.getJob(jobId)).intervalSeconds).toBe(3600);
    expect(Date.parse((await t.db.jobs.getJob(jobId)).nextRunAt!)).toBeLessThanOrEqual(Date.now() + 3600_000);

    const [audit] = await audits(spId, 'Update provisioning setting or credentials');
    expect(audit?.targetResources[0]?.modifiedProperties).toContainEqual({
      displayName: 'Interval',
      oldValue: 'PT40M',
      newValue: 'PT1H',
    });

    const paused = await t.app.inject({
      method: 'POST',
      url: `${jobUrl(spId, jobId)}/pause`,
      headers: { cookie: t.admin },
    });
    expect(paused.statusCode).toBe(204);
    const read = await t.app.inject({
      method: 'GET',
      url: jobUrl(spId, jobId),
      headers: { cookie: t.admin },
    });
    expect((read.json() as SynchronizationJob).schedule).toMatchObject({
      state: 'Paused',
      cycleInterval: 'PT1H',
    });
  });

  it('refuses an interval outside 20 minutes to 24 hours, or not a duration, naming the cycle interval in words', async () => {
    const { spId, jobId } = await createAppWithJob(t, 'Interval Bounds');
    for (const [interval, words] of [
      ['PT5M', '5 minutes'],
      ['P2D', '48 hours'],
      ['forty minutes', 'is not one'],
    ] as const) {
      const res = await patchJob(spId, jobId, { schedule: { interval } });
      expect(res.statusCode, interval).toBe(400);
      const error = errorOf(res);
      expect(error.code).toBe('provisioning_job.invalid_interval');
      expect(error.message).toContain('The cycle interval must be');
      expect(error.message).toContain('between 20 minutes and 24 hours');
      expect(error.message).toContain(words);
      expect(error.message).not.toMatch(/body\//);
      expect(error.details?.[0]?.target).toBe('body/schedule/interval');
    }
    expect((await t.db.jobs.getJob(jobId)).intervalSeconds).toBe(2400);
    // Settings and the interval together: both saved, one audit event.
    const both = await patchJob(spId, jobId, {
      schedule: { interval: 'PT20M' },
      synchronizationJobSettings: [{ name: 'QuarantineTooManyDeletesThreshold', value: '20' }],
    });
    expect(both.statusCode).toBe(200);
    expect((both.json() as SynchronizationJob).schedule.cycleInterval).toBe('PT20M');
    const [audit] = await audits(spId, 'Update provisioning setting or credentials');
    expect(audit?.targetResources[0]?.modifiedProperties.map((p) => p.displayName).sort()).toEqual([
      'Interval',
      'QuarantineTooManyDeletesThreshold',
    ]);
  });

  it('saves Skip out of scope deletions, audits it and refuses a value that is not true or false in words', async () => {
    const { spId } = await createAppWithJob(t, 'Skip Out Of Scope');
    expect((await putSecrets(spId, [{ key: 'SkipOutOfScopeDeletions', value: 'True' }])).statusCode).toBe(
      204,
    );
    expect((await secrets(spId)).find((s) => s.key === 'SkipOutOfScopeDeletions')?.value).toBe('true');
    const [audit] = await audits(spId, 'Update provisioning setting or credentials');
    expect(audit?.targetResources[0]?.modifiedProperties).toContainEqual({
      displayName: 'SkipOutOfScopeDeletions',
      oldValue: null,
      newValue: 'true',
    });
    const bad = await putSecrets(spId, [{ key: 'SkipOutOfScopeDeletions', value: 'maybe' }]);
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).message).toContain('Skip out of scope deletions');
    expect(errorOf(bad).message).not.toMatch(/body\//);
    expect(errorOf(bad).details?.[0]?.target).toBe('body/value/0/value');
  });
});

describe('POST …/schema/restoreDefaults', () => {
  async function schemaOf(spId: string, jobId: string): Promise<SynchronizationSchema> {
    const res = await t.app.inject({
      method: 'GET',
      url: `${jobUrl(spId, jobId)}/schema`,
      headers: { cookie: t.admin },
    });
    return res.json() as SynchronizationSchema;
  }

  it('lists what a restore changes without changing anything, then restores the template and audits it', async () => {
    const { spId, jobId } = await createAppWithJob(t, 'Restore App');
    const defaults = await schemaOf(spId, jobId);
    const edited = structuredClone(defaults);
    const users = edited.synchronizationRules[0]!.objectMappings.find((m) => m.sourceObjectName === 'User')!;
    const title = users.attributeMappings.find((a) => a.targetAttributeName === 'title')!;
    users.attributeMappings = users.attributeMappings.filter((a) => a.targetAttributeName !== 'displayName');
    title.source = { type: 'Constant', name: 'Engineer', expression: null, parameters: [] };
    const put = await t.app.inject({
      method: 'PUT',
      url: `${jobUrl(spId, jobId)}/schema`,
      headers: { cookie: t.admin },
      payload: { synchronizationRules: edited.synchronizationRules, directories: edited.directories },
    });
    expect(put.statusCode, put.body).toBe(204);
    const version = (await schemaOf(spId, jobId)).version;

    const preview = await restore(spId, jobId, { preview: true });
    expect(preview.statusCode, preview.body).toBe(200);
    const diff = preview.json() as RestoreDefaultsResult;
    expect(diff).toMatchObject({ applied: false, templateId: 'scim', version });
    expect(diff.changes).toHaveLength(2);
    expect(diff.changes).toEqual(
      expect.arrayContaining([
        {
          change: 'Changed',
          displayName: `${users.name}: title`,
          oldValue: 'Constant "Engineer"',
          newValue: '[jobTitle]',
        },
        {
          change: 'Added',
          displayName: `${users.name}: displayName`,
          oldValue: null,
          newValue: '[displayName]',
        },
      ]),
    );
    expect((await schemaOf(spId, jobId)).version).toBe(version);

    const applied = await restore(spId, jobId, {});
    expect(applied.statusCode).toBe(200);
    const result = applied.json() as RestoreDefaultsResult;
    expect(result.applied).toBe(true);
    expect(result.changes).toEqual(diff.changes);
    const after = await schemaOf(spId, jobId);
    expect(after.version).toBe(result.version);
    const userRows = (schema: SynchronizationSchema) =>
      schema.synchronizationRules[0]!.objectMappings.find((m) => m.sourceObjectName === 'User')!
        .attributeMappings;
    expect(userRows(after).map((a) => a.targetAttributeName)).toEqual(
      userRows(defaults).map((a) => a.targetAttributeName),
    );
    expect(userRows(after).find((a) => a.targetAttributeName === 'title')?.source).toMatchObject({
      type: 'Attribute',
      name: 'jobTitle',
    });
    expect((await t.db.jobs.getJob(jobId)).watermark).toBeNull();

    const [audit] = await audits(spId, 'Update attribute mappings or scope');
    expect(audit?.additionalDetails).toContainEqual({ key: 'RestoredDefaults', value: 'scim' });
    expect(audit?.targetResources[0]?.modifiedProperties.map((p) => p.displayName)).toEqual(
      diff.changes.map((c) => c.displayName),
    );

    // Already the defaults: nothing to change, nothing audited.
    const again = await restore(spId, jobId, {});
    expect(again.json()).toMatchObject({ applied: false, changes: [] });
    expect(await audits(spId, 'Update attribute mappings or scope')).toHaveLength(2);
  });

  it('answers 404 for a job of another application', async () => {
    const a = await createAppWithJob(t, 'Restore A');
    const b = await createAppWithJob(t, 'Restore B');
    const res = await restore(a.spId, b.jobId, { preview: true });
    expect(res.statusCode).toBe(404);
    expect(errorOf(res).code).toBe('provisioning_job.not_found');
  });
});
